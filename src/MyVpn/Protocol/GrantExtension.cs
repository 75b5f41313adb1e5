using System.Text;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The grant extension (docs/protocol.md §2.4): what the server pushes, after the fixed grant fields.
/// <c>version (1) | route count (1) | per route: network (4) | prefix (1) | DNS server count (1) |
/// per server: address (4) | search domain count (1) | per domain: length (1) | ASCII name</c>; version 2 goes
/// on with <c>section count (1) | per section: type (1) | length (1) | value</c>, where section 1 is the IPv6
/// grant (<see cref="Ipv6Grant"/>) and a section of a type this code does not know is skipped.
/// Every count and length is bounded and the bytes must end exactly where the last field does.
/// </summary>
public static class GrantExtension
{
    /// <summary>The version of an extension that only pushes (routes, DNS): what servers without IPv6 send.</summary>
    public const byte Version = 1;

    /// <summary>The version with typed sections after the pushed lists: what a server with IPv6 sends.</summary>
    public const byte SectionsVersion = 2;

    public const int MaxSections = 4;
    public const int MaxSectionLength = 64;

    /// <summary>Section type 1: client IPv6 address (16) | prefix length (1) | server IPv6 address (16).</summary>
    public const byte Ipv6Section = 1;
    public const int Ipv6SectionLength = 33;

    /// <summary>The largest extension: every list at its maximum, every domain 253 characters, every section at its longest.</summary>
    public const int MaxLength = 1 + 1 + PushedSettings.MaxRoutes * 5 + 1 + PushedSettings.MaxDnsServers * 4
        + 1 + PushedSettings.MaxSearchDomains * (1 + PushedSettings.MaxDomainLength)
        + 1 + MaxSections * (2 + MaxSectionLength);

    public static int LengthOf(PushedSettings pushed) =>
        4 + pushed.Routes.Count * 5 + pushed.DnsServers.Count * 4 + pushed.SearchDomains.Sum(d => 1 + d.Length);

    /// <summary>The length of the extension a grant carries: version 1 without IPv6, version 2 with it.</summary>
    public static int LengthOf(PushedSettings pushed, Ipv6Grant? ipv6) =>
        LengthOf(pushed) + (ipv6 is null ? 0 : 1 + 2 + Ipv6SectionLength);

    /// <summary>Writes the extension; <paramref name="pushed"/> must be valid (<see cref="PushedSettings.Problem"/>) and not empty.</summary>
    public static void Write(PushedSettings pushed, Span<byte> s)
    {
        var problem = pushed.IsEmpty ? "nothing to push" : pushed.Problem();
        if (problem is not null)
            throw new ArgumentException($"cannot push {pushed}: {problem}", nameof(pushed));
        WriteLists(pushed, Version, s);
    }

    /// <summary>
    /// Writes the extension of a grant: version 1 (<see cref="Write(PushedSettings, Span{byte})"/>) when
    /// <paramref name="ipv6"/> is null, else version 2 with the IPv6 section; <paramref name="pushed"/> may then be empty.
    /// </summary>
    public static void Write(PushedSettings pushed, Ipv6Grant? ipv6, Span<byte> s)
    {
        if (ipv6 is null)
        {
            Write(pushed, s);
            return;
        }
        var problem = pushed.Problem() ?? ipv6.Problem();
        if (problem is not null)
            throw new ArgumentException($"cannot grant {pushed}, IPv6 {ipv6}: {problem}", nameof(pushed));
        var at = WriteLists(pushed, SectionsVersion, s);
        s[at++] = 1;
        s[at++] = Ipv6Section;
        s[at++] = Ipv6SectionLength;
        ipv6.ClientAddress.Write(s[at..]);
        s[at + 16] = (byte)ipv6.PrefixLength;
        ipv6.ServerAddress.Write(s[(at + 17)..]);
    }

    /// <summary>Writes the version byte and the pushed lists; returns where they end.</summary>
    private static int WriteLists(PushedSettings pushed, byte version, Span<byte> s)
    {
        var at = 0;
        s[at++] = version;
        s[at++] = (byte)pushed.Routes.Count;
        foreach (var route in pushed.Routes)
        {
            route.First.Write(s[at..]);
            s[at + 4] = (byte)route.PrefixLength;
            at += 5;
        }
        s[at++] = (byte)pushed.DnsServers.Count;
        foreach (var server in pushed.DnsServers)
        {
            server.Write(s[at..]);
            at += 4;
        }
        s[at++] = (byte)pushed.SearchDomains.Count;
        foreach (var domain in pushed.SearchDomains)
        {
            s[at++] = (byte)domain.Length;
            at += Encoding.ASCII.GetBytes(domain, s[at..]);
        }
        return at;
    }

    /// <summary>
    /// Reads an extension. False with <see cref="HandshakeError.UnsupportedVersion"/> for a version this
    /// code does not know, with <see cref="HandshakeError.Malformed"/> for anything else wrong: a count
    /// over its bound, a length past the end, bytes left over, an entry the rules refuse, nothing pushed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> s, out PushedSettings pushed, out HandshakeError error) =>
        TryRead(s, out pushed, out _, out error);

    /// <summary>
    /// Reads an extension of version 1 or 2; <paramref name="ipv6"/> is the IPv6 section of a version 2 one, or
    /// null. Sections of a type this code does not know are skipped; a known one twice, or one of the wrong
    /// length or content, is <see cref="HandshakeError.Malformed"/>, as is a version 1 extension that pushes nothing.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> s, out PushedSettings pushed, out Ipv6Grant? ipv6, out HandshakeError error)
    {
        pushed = PushedSettings.None;
        ipv6 = null;
        error = HandshakeError.Malformed;
        if (s.Length == 0 || s.Length > MaxLength)
            return false;
        if (s[0] is not (Version or SectionsVersion))
        {
            error = HandshakeError.UnsupportedVersion;
            return false;
        }
        var at = 1;
        if (!TryCount(s, ref at, PushedSettings.MaxRoutes, 5, out var routeCount))
            return false;
        var routes = new IPv4Range[routeCount];
        for (var i = 0; i < routeCount; i++, at += 5)
        {
            var network = IPv4Address.Read(s[at..]);
            var prefix = s[at + 4];
            if (prefix > 32)
                return false;
            routes[i] = new IPv4Range(network, prefix);
            if (routes[i].First != network)
                return false;
        }
        if (!TryCount(s, ref at, PushedSettings.MaxDnsServers, 4, out var dnsCount))
            return false;
        var servers = new IPv4Address[dnsCount];
        for (var i = 0; i < dnsCount; i++, at += 4)
            servers[i] = IPv4Address.Read(s[at..]);
        if (!TryCount(s, ref at, PushedSettings.MaxSearchDomains, 0, out var domainCount))
            return false;
        var domains = new string[domainCount];
        for (var i = 0; i < domainCount; i++)
        {
            if (at >= s.Length)
                return false;
            int length = s[at++];
            if (length > s.Length - at)
                return false;
            // a byte over 0x7f decodes as '?', which the domain rules refuse (PushedSettings.SearchDomainProblem)
            domains[i] = Encoding.ASCII.GetString(s.Slice(at, length));
            at += length;
        }
        Ipv6Grant? readIpv6 = null;
        if (s[0] == SectionsVersion && !TryReadSections(s, ref at, out readIpv6))
            return false;
        if (at != s.Length)
            return false;
        var read = new PushedSettings(routes, servers, domains);
        if ((s[0] == Version && read.IsEmpty) || read.Problem() is not null)
            return false;
        pushed = read;
        ipv6 = readIpv6;
        error = HandshakeError.None;
        return true;
    }

    /// <summary>Reads the sections of a version 2 extension: the IPv6 one at most once, unknown ones skipped.</summary>
    private static bool TryReadSections(ReadOnlySpan<byte> s, ref int at, out Ipv6Grant? ipv6)
    {
        ipv6 = null;
        if (!TryCount(s, ref at, MaxSections, 2, out var count))
            return false;
        for (var i = 0; i < count; i++)
        {
            if (s.Length - at < 2)
                return false;
            var type = s[at];
            int length = s[at + 1];
            at += 2;
            if (length > MaxSectionLength || length > s.Length - at)
                return false;
            var value = s.Slice(at, length);
            at += length;
            if (type != Ipv6Section)
                continue;
            if (ipv6 is not null || length != Ipv6SectionLength)
                return false;
            var read = new Ipv6Grant(IPv6Address.Read(value), value[16], IPv6Address.Read(value[17..]));
            if (read.Problem() is not null)
                return false;
            ipv6 = read;
        }
        return true;
    }

    /// <summary>Reads a count byte: at most <paramref name="max"/>, with room for that many entries of <paramref name="entrySize"/> bytes.</summary>
    private static bool TryCount(ReadOnlySpan<byte> s, ref int at, int max, int entrySize, out int count)
    {
        count = 0;
        if (at >= s.Length)
            return false;
        count = s[at++];
        return count <= max && count * entrySize <= s.Length - at;
    }
}
