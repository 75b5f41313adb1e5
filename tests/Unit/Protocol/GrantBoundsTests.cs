using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The exact bounds a grant is checked against when decoded (length, prefix /8../30, port, MTU 576..9000,
/// keepalive, both addresses hosts of one subnet): each limit accepted, one past it refused, and the keys
/// read from their exact offsets.
/// </summary>
public sealed class GrantBoundsTests
{
    private static readonly byte[] C2S = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] S2C = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    private static SessionGrant Grant(string client = "10.0.0.2", int prefix = 24, string server = "10.0.0.1",
        ushort port = 40000, int mtu = 1400, int keepalive = 25) =>
        new(0xA1B2C3D4, IPv4Address.Parse(client), prefix, IPv4Address.Parse(server), port, mtu, TimeSpan.FromSeconds(keepalive));

    private static bool Decodes(SessionGrant grant) =>
        GrantEncoding.TryDecode(GrantEncoding.Encode(grant, C2S, S2C), out _, out _, out _);

    [Fact]
    public void A_valid_grant_round_trips_with_its_keys_at_their_offsets()
    {
        var grant = Grant();
        Assert.True(GrantEncoding.TryDecode(GrantEncoding.Encode(grant, C2S, S2C), out var decoded, out var c2s, out var s2c, out var error));
        Assert.Equal(grant, decoded);
        Assert.Equal(C2S, c2s);
        Assert.Equal(S2C, s2c);
        Assert.Equal(HandshakeError.None, error);
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(30, true)]
    [InlineData(7, false)]
    [InlineData(31, false)]
    public void Prefix_length_is_8_to_30(int prefix, bool accepted)
    {
        Assert.Equal(accepted, Decodes(Grant("10.0.0.2", prefix, "10.0.0.1")));
    }

    [Theory]
    [InlineData(576, true)]
    [InlineData(9000, true)]
    [InlineData(575, false)]
    [InlineData(9001, false)]
    public void Mtu_is_576_to_9000(int mtu, bool accepted)
    {
        Assert.Equal(accepted, Decodes(Grant(mtu: mtu)));
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(65535, 65535, true)]
    [InlineData(0, 25, false)]
    [InlineData(40000, 0, false)]
    public void Port_and_keepalive_are_not_zero(int port, int keepalive, bool accepted)
    {
        Assert.Equal(accepted, Decodes(Grant(port: (ushort)port, keepalive: keepalive)));
    }

    [Theory]
    [InlineData("10.0.0.2", "10.0.0.1", true)]
    [InlineData("10.0.0.254", "10.0.0.1", true)]
    [InlineData("10.0.0.2", "10.0.0.2", false)] // the same address
    [InlineData("10.0.0.0", "10.0.0.1", false)] // client is the network
    [InlineData("10.0.0.255", "10.0.0.1", false)] // client is the broadcast
    [InlineData("10.0.0.2", "10.0.0.0", false)] // server is the network
    [InlineData("10.0.0.2", "10.0.0.255", false)] // server is the broadcast
    [InlineData("10.0.0.2", "10.0.1.1", false)] // server outside the client's subnet
    public void Both_addresses_are_distinct_hosts_of_one_subnet(string client, string server, bool accepted)
    {
        Assert.Equal(accepted, Decodes(Grant(client, 24, server)));
    }

    [Fact]
    public void Length_is_checked_at_both_ends()
    {
        var bytes = GrantEncoding.Encode(Grant(), C2S, S2C);
        Assert.Equal(HandshakeMessage.GrantLength, bytes.Length);
        Assert.False(GrantEncoding.TryDecode(bytes.AsSpan(0, bytes.Length - 1), out _, out var c2s, out var s2c, out var error));
        Assert.Empty(c2s);
        Assert.Empty(s2c);
        Assert.Equal(HandshakeError.Malformed, error);
        var tooLong = new byte[HandshakeMessage.MaxGrantLength + 1];
        bytes.CopyTo(tooLong, 0);
        Assert.False(GrantEncoding.TryDecode(tooLong, out _, out _, out _, out error));
        Assert.Equal(HandshakeError.Malformed, error);
    }

    [Fact]
    public void A_refused_grant_gives_no_grant_and_no_keys()
    {
        var bytes = GrantEncoding.Encode(Grant(mtu: 575), C2S, S2C);
        Assert.False(GrantEncoding.TryDecode(bytes, out var grant, out var c2s, out var s2c, out var error));
        Assert.Null(grant);
        Assert.Empty(c2s);
        Assert.Empty(s2c);
        Assert.Equal(HandshakeError.Malformed, error);
    }
}
