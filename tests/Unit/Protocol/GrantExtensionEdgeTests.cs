using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The grant extension's decoder at each of its edges, where an off-by-one would either refuse a valid
/// extension or read past the bytes: the longest extension accepted, every count byte missing, a section that
/// ends exactly at the end, the section bound with bytes to back it, a /32 route; and the server's encoder
/// refusing, with a clear message, what it must not send.
/// </summary>
public sealed class GrantExtensionEdgeTests
{
    private static readonly Ipv6Grant Sample = new(IPv6Address.Parse("fd00:1:2:3::2"), 64, IPv6Address.Parse("fd00:1:2:3::1"));

    private static bool Reads(string hex, out PushedSettings pushed, out Ipv6Grant? ipv6, out HandshakeError error) =>
        GrantExtension.TryRead(Convert.FromHexString(hex.Replace(" ", "")), out pushed, out ipv6, out error);

    /// <summary>Every list at its bound, every domain 253 characters, and four sections of an unknown type at 64 bytes each.</summary>
    private static byte[] LongestExtension(out PushedSettings pushed)
    {
        var longest = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        pushed = new PushedSettings(
            [.. Enumerable.Range(0, PushedSettings.MaxRoutes).Select(i => new IPv4Range(new IPv4Address(0x0A000000u + ((uint)i << 8)), 24))],
            [.. Enumerable.Range(1, PushedSettings.MaxDnsServers).Select(i => new IPv4Address(0x0A000000u + (uint)i))],
            [.. Enumerable.Range(0, PushedSettings.MaxSearchDomains).Select(i => (char)('c' + i) + longest[1..])]);
        var lists = new byte[GrantExtension.LengthOf(pushed)];
        GrantExtension.Write(pushed, lists);
        lists[0] = GrantExtension.SectionsVersion;
        // four sections of a type this code does not know, each at the longest a section may be
        var sections = new List<byte> { GrantExtension.MaxSections };
        for (var i = 0; i < GrantExtension.MaxSections; i++)
            sections.AddRange([(byte)(0x70 + i), GrantExtension.MaxSectionLength, .. new byte[GrantExtension.MaxSectionLength]]);
        return [.. lists, .. sections];
    }

    [Fact]
    public void Extension_of_exactly_the_maximum_length_is_read()
    {
        var bytes = LongestExtension(out var pushed);
        Assert.Equal(GrantExtension.MaxLength, bytes.Length);

        Assert.True(GrantExtension.TryRead(bytes, out var read, out var ipv6, out var error));
        Assert.Equal(HandshakeError.None, error);
        Assert.Equal(pushed, read);
        Assert.Null(ipv6);
        Assert.False(GrantExtension.TryRead([.. bytes, 0], out _, out _, out error));
        Assert.Equal(HandshakeError.Malformed, error);
    }

    [Fact]
    public void Empty_extension_is_malformed()
    {
        Assert.False(GrantExtension.TryRead([], out var pushed, out var ipv6, out var error));
        Assert.Equal(HandshakeError.Malformed, error);
        Assert.True(pushed.IsEmpty);
        Assert.Null(ipv6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(0xff)]
    public void Extension_of_an_unknown_version_is_UnsupportedVersion(byte version)
    {
        Assert.False(Reads($"{version:x2} 00 00 00 00", out _, out _, out var error));
        Assert.Equal(HandshakeError.UnsupportedVersion, error);
    }

    [Theory]
    [InlineData("01", "no route count")]
    [InlineData("01 00", "no DNS server count")]
    [InlineData("01 00 00", "no search domain count")]
    [InlineData("01 00 00 01", "one search domain, and no length byte for it")]
    [InlineData("01 01 c0a83200", "a route without its prefix byte")]
    [InlineData("01 00 01 0a0000", "a DNS server of three bytes")]
    [InlineData("02 00 00 00 02 07 02 aabb", "a second section with no header left")]
    [InlineData("02 00 00 00 01 07 05", "a section whose length byte is the last byte")]
    [InlineData("02 00 00 00 05 07 00 07 00 07 00 07 00 07 00", "5 empty sections: one over the bound, with the bytes to back them")]
    [InlineData("02 00 00 00 01 07 41" + "0000000000000000000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000000" + "00",
        "a section of 65 bytes, all present")]
    public void Cut_or_overlong_extension_is_malformed_and_never_read_past_its_end(string hex, string what)
    {
        Assert.False(Reads(hex, out var pushed, out var ipv6, out var error), what);
        Assert.Equal(HandshakeError.Malformed, error);
        Assert.True(pushed.IsEmpty);
        Assert.Null(ipv6);
    }

    [Fact]
    public void Empty_section_that_ends_exactly_at_the_end_is_skipped()
    {
        Assert.True(Reads("02 00 00 00 01 07 00", out var pushed, out var ipv6, out var error));
        Assert.Equal(HandshakeError.None, error);
        Assert.True(pushed.IsEmpty);
        Assert.Null(ipv6);
    }

    [Fact]
    public void Section_of_the_longest_length_is_skipped()
    {
        Assert.True(Reads("02 00 00 00 01 07 40" + new string('0', 128), out _, out var ipv6, out _));
        Assert.Null(ipv6);
    }

    [Fact]
    public void Route_of_a_single_address_is_read()
    {
        Assert.True(Reads("01 01 c0a83207 20 00 00", out var pushed, out _, out _));
        Assert.Equal([IPv4Range.Parse("192.168.50.7/32")], pushed.Routes);
    }

    [Fact]
    public void The_lists_and_a_section_are_read_together()
    {
        Assert.True(Reads("02 01 c0a83200 18 01 0a000001 01 03 6c6162 01"
            + "01 21 fd000001000200030000000000000002 40 fd000001000200030000000000000001", out var pushed, out var ipv6, out _));
        Assert.Equal(new PushedSettings([IPv4Range.Parse("192.168.50.0/24")], [IPv4Address.Parse("10.0.0.1")], ["lab"]), pushed);
        Assert.Equal(Sample, ipv6);
    }

    [Fact]
    public void Server_refuses_to_write_an_extension_that_pushes_nothing()
    {
        var error = Assert.Throws<ArgumentException>(() => GrantExtension.Write(PushedSettings.None, new byte[GrantExtension.MaxLength]));
        Assert.StartsWith("cannot push routes [], dns [], search []: nothing to push", error.Message);
    }

    [Fact]
    public void Server_refuses_to_write_invalid_pushed_settings_beside_a_valid_ipv6_grant()
    {
        var pushed = new PushedSettings([IPv4Range.Parse("127.0.0.0/8")], [], []);

        var error = Assert.Throws<ArgumentException>(() => GrantExtension.Write(pushed, Sample, new byte[GrantExtension.MaxLength]));
        Assert.StartsWith($"cannot grant {pushed}, IPv6 {Sample}: route 127.0.0.0/8 is inside 127.0.0.0/8 (loopback)", error.Message);
    }

    [Fact]
    public void Server_refuses_to_write_an_invalid_ipv6_grant_naming_the_problem()
    {
        var bad = Sample with { PrefixLength = 63 };

        var error = Assert.Throws<ArgumentException>(() => GrantExtension.Write(PushedSettings.None, bad, new byte[GrantExtension.MaxLength]));
        Assert.StartsWith("cannot grant routes [], dns [], search [], IPv6 fd00:1:2:3::2/63, server fd00:1:2:3::1: IPv6 prefix /63 is outside /64../120",
            error.Message);
    }

    [Fact]
    public void When_both_parts_are_invalid_the_pushed_settings_problem_is_named()
    {
        var pushed = new PushedSettings([IPv4Range.Parse("127.0.0.0/8")], [], []);
        var bad = Sample with { ServerAddress = IPv6Address.Parse("fd00:9::1") };

        var error = Assert.Throws<ArgumentException>(() => GrantExtension.Write(pushed, bad, new byte[GrantExtension.MaxLength]));
        Assert.Contains(": route 127.0.0.0/8 is inside 127.0.0.0/8 (loopback)", error.Message);
    }

    [Fact]
    public void Grant_with_an_extension_of_the_maximum_length_is_decoded()
    {
        var grant = new SessionGrant(7, IPv4Address.Parse("10.0.0.2"), 24, IPv4Address.Parse("10.0.0.1"), 40000, 1400, TimeSpan.FromSeconds(25));
        byte[] bytes = [.. GrantEncoding.Encode(grant, new byte[32], new byte[32]), .. LongestExtension(out var pushed)];
        Assert.Equal(HandshakeMessage.MaxGrantLength, bytes.Length);

        Assert.True(GrantEncoding.TryDecode(bytes, out var decoded, out _, out _, out var error));
        Assert.Equal(HandshakeError.None, error);
        Assert.Equal(grant with { Pushed = pushed }, decoded);
    }

    [Fact]
    public void Length_of_an_extension_counts_every_byte_written()
    {
        var pushed = new PushedSettings([IPv4Range.Parse("192.168.50.0/24")], [IPv4Address.Parse("10.0.0.1"), IPv4Address.Parse("10.0.0.2")],
            ["lab", "corp.example"]);

        Assert.Equal(1 + 1 + 5 + 1 + 8 + 1 + 4 + 13, GrantExtension.LengthOf(pushed));
        Assert.Equal(1 + 1 + 5 + 1 + 8 + 1 + 4 + 13 + 1 + 2 + 33, GrantExtension.LengthOf(pushed, Sample));
        Assert.Equal(GrantExtension.LengthOf(pushed), GrantExtension.LengthOf(pushed, null));
    }
}
