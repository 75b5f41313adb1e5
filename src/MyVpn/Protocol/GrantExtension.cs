using System.Text;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The grant extension (docs/protocol.md §2.4): what the server pushes, after the fixed grant fields.
/// <c>version (1) = 1 | route count (1) | per route: network (4) | prefix (1) | DNS server count (1) |
/// per server: address (4) | search domain count (1) | per domain: length (1) | ASCII name</c>.
/// Every count and length is bounded and the bytes must end exactly where the last field does.
/// </summary>
public static class GrantExtension
{
    public const byte Version = 1;

    /// <summary>The largest extension: every list at its maximum, every domain 253 characters.</summary>
    public const int MaxLength = 1 + 1 + PushedSettings.MaxRoutes * 5 + 1 + PushedSettings.MaxDnsServers * 4
        + 1 + PushedSettings.MaxSearchDomains * (1 + PushedSettings.MaxDomainLength);

    public static int LengthOf(PushedSettings pushed) =>
        4 + pushed.Routes.Count * 5 + pushed.DnsServers.Count * 4 + pushed.SearchDomains.Sum(d => 1 + d.Length);

    /// <summary>Writes the extension; <paramref name="pushed"/> must be valid (<see cref="PushedSettings.Problem"/>) and not empty.</summary>
    public static void Write(PushedSettings pushed, Span<byte> s)
    {
        var problem = pushed.IsEmpty ? "nothing to push" : pushed.Problem();
        if (problem is not null)
            throw new ArgumentException($"cannot push {pushed}: {problem}", nameof(pushed));
        var at = 0;
        s[at++] = Version;
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
    }

    /// <summary>
    /// Reads an extension. False with <see cref="HandshakeError.UnsupportedVersion"/> for a version this
    /// code does not know, with <see cref="HandshakeError.Malformed"/> for anything else wrong: a count
    /// over its bound, a length past the end, bytes left over, an entry the rules refuse, nothing pushed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> s, out PushedSettings pushed, out HandshakeError error)
    {
        pushed = PushedSettings.None;
        error = HandshakeError.Malformed;
        if (s.Length == 0 || s.Length > MaxLength)
            return false;
        if (s[0] != Version)
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
            var name = s.Slice(at, length);
            foreach (var b in name)
                if (b >= 0x80)
                    return false;
            domains[i] = Encoding.ASCII.GetString(name);
            at += length;
        }
        if (at != s.Length)
            return false;
        var read = new PushedSettings(routes, servers, domains);
        if (read.IsEmpty || read.Problem() is not null)
            return false;
        pushed = read;
        error = HandshakeError.None;
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
