using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The IPv6 part of the grant (docs/protocol.md §2.4, extension version 2, section 1): it reaches the client
/// through a whole handshake, a grant without it is byte for byte what it was, sections a client does not know
/// are skipped, and every rule is enforced on the client's side.
/// </summary>
public sealed class Ipv6GrantTests
{
    private static readonly Ipv6Grant Sample = new(IPv6Address.Parse("fd00:1:2:3::2"), 64, IPv6Address.Parse("fd00:1:2:3::1"));

    private const string SampleSection = "01" + "21" + "fd000001000200030000000000000002" + "40" + "fd000001000200030000000000000001";

    private static (HandshakeStep Step, SessionGrant? Grant) Handshake(SessionGrant grant)
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), IPv4Address.Parse("10.0.0.7"), new TestRandom(1));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var serverHello = server.OnData(client.Start()).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(clientAuth).Status);
        var (accept, session) = server.Accept(grant, PureChannel.Create);
        session.Dispose();
        return (client.OnData(accept), client.Grant);
    }

    [Fact]
    public void Ipv6_grant_travels_to_the_client_beside_pushed_settings()
    {
        var pushed = new PushedSettings([IPv4Range.Parse("192.168.50.0/24")], [], []);
        var (step, grant) = Handshake(Handshakes.Grant with { Ipv6 = Sample, Pushed = pushed });

        Assert.Equal(HandshakeStatus.Established, step.Status);
        Assert.Equal(Sample, grant!.Ipv6);
        Assert.Equal(pushed, grant.Pushed);
    }

    [Fact]
    public void Ipv6_grant_alone_is_a_version_2_extension_with_empty_lists_and_one_section()
    {
        var bytes = new byte[GrantExtension.LengthOf(PushedSettings.None, Sample)];
        GrantExtension.Write(PushedSettings.None, Sample, bytes);

        Assert.Equal("02" + "00" + "00" + "00" + "01" + SampleSection, Convert.ToHexStringLower(bytes));
        Assert.True(GrantExtension.TryRead(bytes, out var pushed, out var ipv6, out _));
        Assert.True(pushed.IsEmpty);
        Assert.Equal(Sample, ipv6);
    }

    [Fact]
    public void Grant_without_ipv6_is_the_version_1_extension_or_none_as_before()
    {
        var (step, grant) = Handshake(Handshakes.Grant);
        Assert.Equal(HandshakeStatus.Established, step.Status);
        Assert.Null(grant!.Ipv6);
        Assert.Equal(HandshakeMessage.GrantLength, GrantEncoding.Encode(Handshakes.Grant, new byte[32], new byte[32]).Length);

        var pushed = new PushedSettings([IPv4Range.Parse("192.168.50.0/24")], [], []);
        var encoded = GrantEncoding.Encode(Handshakes.Grant with { Pushed = pushed }, new byte[32], new byte[32]);
        Assert.Equal(GrantExtension.Version, encoded[HandshakeMessage.GrantLength]);
    }

    [Fact]
    public void Client_skips_a_section_it_does_not_know_and_stays_ipv4_only()
    {
        // a later server may add sections; this client ignores them and takes the rest of the grant
        var bytes = Convert.FromHexString("02" + "00" + "00" + "00" + "01" + "07" + "03" + "aabbcc");

        Assert.True(GrantExtension.TryRead(bytes, out var pushed, out var ipv6, out var error));
        Assert.Equal(HandshakeError.None, error);
        Assert.True(pushed.IsEmpty);
        Assert.Null(ipv6);
    }

    [Fact]
    public void Client_skips_an_unknown_section_before_the_ipv6_one()
    {
        var bytes = Convert.FromHexString("02" + "00" + "00" + "00" + "02" + "09" + "01" + "ff" + SampleSection);

        Assert.True(GrantExtension.TryRead(bytes, out _, out var ipv6, out _));
        Assert.Equal(Sample, ipv6);
    }

    [Theory]
    [InlineData("02 00 00 00", "no section count")]
    [InlineData("02 00 00 00 05", "5 sections: over the bound")]
    [InlineData("02 00 00 00 01 07 05 aabb", "a section longer than the bytes left")]
    [InlineData("02 00 00 00 01 07 41" + "00", "a section over 64 bytes")]
    [InlineData("02 00 00 00 00 ff", "a byte left over")]
    [InlineData("02 00 00 00 01 01 20 fd000001000200030000000000000002 40 fd0000010002000300000000000001", "an IPv6 section of 32 bytes")]
    [InlineData("02 00 00 00 02 01 21 fd000001000200030000000000000002 40 fd000001000200030000000000000001 01 21 fd000001000200030000000000000002 40 fd000001000200030000000000000001", "the IPv6 section twice")]
    [InlineData("02 00 00 00 01 01 21 fd000001000200030000000000000002 3f fd000001000200030000000000000001", "prefix /63")]
    [InlineData("02 00 00 00 01 01 21 fd000001000200030000000000000002 79 fd000001000200030000000000000001", "prefix /121")]
    [InlineData("02 00 00 00 01 01 21 fd000001000200030000000000000002 40 fd000001000200040000000000000001", "server outside the subnet")]
    [InlineData("02 00 00 00 01 01 21 fd000001000200030000000000000001 40 fd000001000200030000000000000001", "the same address twice")]
    [InlineData("02 00 00 00 01 01 21 fd000001000200030000000000000000 40 fd000001000200030000000000000001", "the subnet's first address as the client's")]
    [InlineData("02 00 00 00 01 01 21 fe800000000000000000000000000002 40 fe800000000000000000000000000001", "a link-local subnet")]
    [InlineData("02 00 00 00 01 01 21 ff020000000000000000000000000002 40 ff020000000000000000000000000001", "a multicast subnet")]
    public void Malformed_version_2_extension_is_refused(string hex, string what)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));

        Assert.False(GrantExtension.TryRead(bytes, out _, out var ipv6, out var error), what);
        Assert.Equal(HandshakeError.Malformed, error);
        Assert.Null(ipv6);
    }

    [Fact]
    public void Server_refuses_to_encode_an_ipv6_grant_no_client_would_accept()
    {
        var bad = Sample with { ServerAddress = IPv6Address.Parse("fd00:9::1") };
        Assert.Throws<ArgumentException>(() => GrantEncoding.Encode(Handshakes.Grant with { Ipv6 = bad }, new byte[32], new byte[32]));
    }

    [Fact]
    public void Largest_extension_with_every_section_at_its_longest_fits_the_frame_limit()
    {
        Assert.Equal(HandshakeMessage.GrantLength + GrantExtension.MaxLength + WireFormat.TagLength, HandshakeMessage.MaxServerAcceptLength);
        Assert.True(GrantExtension.LengthOf(PushedSettings.None, Sample) <= GrantExtension.MaxLength);
    }
}
