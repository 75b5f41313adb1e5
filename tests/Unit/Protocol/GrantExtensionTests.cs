using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The grant extension (docs/protocol.md §2.4) through a whole handshake and byte by byte: what the
/// server pushes reaches the client, a grant without pushes is the 83 bytes it always was, and every
/// bound is enforced on the client's side.
/// </summary>
public sealed class GrantExtensionTests
{
    private static readonly PushedSettings Sample = new(
        [IPv4Range.Parse("192.168.50.0/24"), IPv4Range.Parse("172.16.0.0/12")],
        [IPv4Address.Parse("10.0.0.1")],
        ["intranet.myvpn.test", "corp.example"]);

    private static (HandshakeStep Step, SessionGrant? Grant, int AcceptBodyLength) Handshake(SessionGrant grant)
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), IPv4Address.Parse("10.0.0.7"), new TestRandom(1));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var serverHello = server.OnData(client.Start()).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(clientAuth).Status);
        var (accept, session) = server.Accept(grant, PureChannel.Create);
        session.Dispose();
        var step = client.OnData(accept);
        return (step, client.Grant, accept.Length - HandshakeMessage.HeaderLength);
    }

    [Fact]
    public void Pushed_settings_travel_in_the_grant_to_the_client()
    {
        var (step, grant, length) = Handshake(Handshakes.Grant with { Pushed = Sample });

        Assert.Equal(HandshakeStatus.Established, step.Status);
        Assert.Equal(Sample, grant!.Pushed);
        Assert.Equal(HandshakeMessage.ServerAcceptLength + GrantExtension.LengthOf(Sample), length);
    }

    [Fact]
    public void Grant_without_pushes_is_the_fixed_83_bytes_and_pushes_nothing()
    {
        var (step, grant, length) = Handshake(Handshakes.Grant);

        Assert.Equal(HandshakeStatus.Established, step.Status);
        Assert.Equal(HandshakeMessage.ServerAcceptLength, length);
        Assert.True(grant!.Pushed.IsEmpty);
    }

    [Fact]
    public void Extension_bytes_are_the_documented_layout()
    {
        var pushed = new PushedSettings([IPv4Range.Parse("192.168.50.0/24")], [IPv4Address.Parse("10.0.0.1")], ["corp.example"]);
        var bytes = new byte[GrantExtension.LengthOf(pushed)];
        GrantExtension.Write(pushed, bytes);

        Assert.Equal("01" + "01" + "c0a83200" + "18" + "01" + "0a000001" + "01" + "0c" + Convert.ToHexStringLower("corp.example"u8),
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Extension_of_a_later_version_fails_the_client_as_UnsupportedVersion()
    {
        var bytes = Encode(Sample);
        bytes[0] = 3;

        Assert.False(GrantExtension.TryRead(bytes, out _, out var error));
        Assert.Equal(HandshakeError.UnsupportedVersion, error);
    }

    [Theory]
    [InlineData("01 00 00 00", "nothing pushed")]
    [InlineData("01 21", "33 routes: over the bound, and no bytes to back them")]
    [InlineData("01 01 c0a83200 18 00 00 ff", "a byte left over")]
    [InlineData("01 01 c0a83201 18 00 00", "a route with host bits set")]
    [InlineData("01 01 00000000 00 00 00", "0.0.0.0/0")]
    [InlineData("01 01 80000000 01 00 00", "a /1: half the internet")]
    [InlineData("01 01 c0a83200 21 00 00", "prefix /33")]
    [InlineData("01 02 c0a83200 18 c0a83200 18 00 00", "the same route twice")]
    [InlineData("01 00 05 0a000001 0a000002 0a000003 0a000004 0a000005 00", "5 DNS servers")]
    [InlineData("01 00 01 7f000001 00", "a loopback DNS server")]
    [InlineData("01 00 00 01 05 61 2e 62 2e", "a search domain with an empty label")]
    [InlineData("01 00 00 01 03 61 5f 62", "a search domain with '_'")]
    [InlineData("01 00 00 01 09 61", "a search domain longer than the bytes left")]
    [InlineData("01 00 00 01 03 61 e9 62", "a non-ASCII byte")]
    public void Malformed_extension_is_refused(string hex, string what)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));

        Assert.False(GrantExtension.TryRead(bytes, out var pushed, out var error), what);
        Assert.Equal(HandshakeError.Malformed, error);
        Assert.True(pushed.IsEmpty);
    }

    [Fact]
    public void Server_refuses_to_encode_what_no_client_would_accept()
    {
        var tooMany = new PushedSettings(
            Enumerable.Range(0, PushedSettings.MaxRoutes + 1).Select(i => new IPv4Range(new IPv4Address(0x0A000000u + ((uint)i << 8)), 24)).ToArray(), [], []);

        Assert.Throws<ArgumentException>(() => Encode(tooMany));
    }

    [Fact]
    public void Largest_extension_fits_the_frame_limit_and_decodes()
    {
        var longest = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        var pushed = new PushedSettings(
            Enumerable.Range(0, PushedSettings.MaxRoutes).Select(i => new IPv4Range(new IPv4Address(0x0A000000u + ((uint)i << 8)), 24)).ToArray(),
            Enumerable.Range(1, PushedSettings.MaxDnsServers).Select(i => new IPv4Address(0x0A000000u + (uint)i)).ToArray(),
            Enumerable.Range(0, PushedSettings.MaxSearchDomains).Select(i => (char)('c' + i) + longest[1..]).ToArray());
        Assert.Equal(PushedSettings.MaxDomainLength, pushed.SearchDomains[0].Length);

        var (step, grant, length) = Handshake(Handshakes.Grant with { Pushed = pushed });

        Assert.Equal(HandshakeStatus.Established, step.Status);
        Assert.Equal(pushed, grant!.Pushed);
        // the longest version 1 extension; version 2's sections may add up to 1 + 4 × (2 + 64) bytes more
        Assert.Equal(HandshakeMessage.MaxServerAcceptLength - 1 - GrantExtension.MaxSections * (2 + GrantExtension.MaxSectionLength), length);
    }

    [Theory]
    [InlineData("intranet.myvpn.test", true)]
    [InlineData("a-b.c1", true)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    [InlineData("a.b.", false)]
    [InlineData("-a.b", false)]
    [InlineData("a b", false)]
    [InlineData("ünï.de", false)]
    public void Search_domain_rules(string domain, bool valid)
    {
        Assert.Equal(valid, PushedSettings.SearchDomainProblem(domain) is null);
    }

    [Fact]
    public void Label_of_64_characters_and_name_of_254_are_refused()
    {
        Assert.NotNull(PushedSettings.SearchDomainProblem(new string('a', 64)));
        Assert.Null(PushedSettings.SearchDomainProblem(new string('a', 63)));
        var name254 = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('a', 62);
        Assert.Equal(254, name254.Length);
        Assert.NotNull(PushedSettings.SearchDomainProblem(name254));
    }

    private static byte[] Encode(PushedSettings pushed)
    {
        var bytes = new byte[GrantExtension.LengthOf(pushed)];
        GrantExtension.Write(pushed, bytes);
        return bytes;
    }
}
