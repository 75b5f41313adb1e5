using System.Net;
using CsCheck;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

public sealed class NetEndpointTests
{
    [Theory]
    [InlineData("1.2.3.4:5", "1.2.3.4:5", false)]
    [InlineData("10.0.0.1:51820", "10.0.0.1:51820", false)]
    [InlineData("[fd00::1]:5", "[fd00::1]:5", true)]
    [InlineData("[2001:DB8:0:0::1]:51820", "[2001:db8::1]:51820", true)]
    [InlineData("[::]:443", "[::]:443", true)]
    [InlineData("[::ffff:192.0.2.1]:80", "192.0.2.1:80", false)]
    public void Parses_both_families(string text, string expected, bool isIPv6)
    {
        var endpoint = NetEndpoint.Parse(text);
        Assert.Equal(expected, endpoint.ToString());
        Assert.Equal(isIPv6, endpoint.IsIPv6);
        Assert.True(NetEndpoint.TryParse(text, out var again));
        Assert.Equal(endpoint, again);
    }

    [Theory]
    [InlineData("1.2.3.4", "'1.2.3.4' is not ADDRESS:PORT")]
    [InlineData("1.2.3.4:70000", "'1.2.3.4:70000' is not ADDRESS:PORT")]
    [InlineData("banana:5", "'banana:5' is not ADDRESS:PORT")]
    [InlineData("fd00::1:5", "'fd00::1:5' is not [IPV6-ADDRESS]:PORT")]
    [InlineData("[fd00::1]", "'[fd00::1]' is not [IPV6-ADDRESS]:PORT")]
    [InlineData("[10.0.0.1]:5", "'[10.0.0.1]:5' is not [IPV6-ADDRESS]:PORT")]
    [InlineData("[fd00::zz]:5", "'[fd00::zz]:5' is not [IPV6-ADDRESS]:PORT")]
    public void Rejects_malformed_text_saying_the_form(string text, string message)
    {
        Assert.False(NetEndpoint.TryParse(text, out _));
        Assert.Equal(message, Assert.Throws<FormatException>(() => NetEndpoint.Parse(text)).Message);
    }

    [Fact]
    public void An_IPv4_mapped_peer_is_the_same_endpoint_as_the_plain_IPv4_one()
    {
        var plain = new NetEndpoint(IPv4Address.Parse("192.0.2.1"), 9);
        var mapped = new NetEndpoint(IPv6Address.Parse("::ffff:192.0.2.1"), 9);
        Assert.Equal(plain, mapped);
        Assert.Equal(plain.GetHashCode(), mapped.GetHashCode());
        Assert.True(mapped.IsIPv4);
        Assert.Equal(IPv6Address.Parse("::ffff:192.0.2.1"), plain.IPv6);
        Assert.Equal(plain, NetEndpoint.From(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 9)));
    }

    [Fact]
    public void The_default_is_the_IPv4_any_endpoint()
    {
        Assert.Equal("0.0.0.0:0", default(NetEndpoint).ToString());
        Assert.Equal(new NetEndpoint(default(IPv4Address), 0), default);
        Assert.NotEqual(new NetEndpoint(IPv6Address.Any, 0), default);
    }

    [Fact]
    public void An_IPv6_endpoint_has_no_IPv4_address()
    {
        var endpoint = NetEndpoint.Parse("[fd00::1]:5");
        Assert.Throws<InvalidOperationException>(() => endpoint.Address);
        Assert.Equal("fd00::1", endpoint.AddressText);
        Assert.Equal(7, (endpoint with { Port = 7 }).Port);
    }

    [Fact]
    public void Round_trips_through_text_and_IPEndPoint_for_either_family() =>
        Gen.Select(Gen.Bool, Gen.ULong, Gen.ULong, Gen.UShort, (v6, high, low, port) => v6
                ? new NetEndpoint(new IPv6Address(high, low), port)
                : new NetEndpoint(new IPv4Address((uint)low), port))
            .Sample(endpoint =>
            {
                Assert.Equal(endpoint, NetEndpoint.Parse(endpoint.ToString()));
                Assert.Equal(endpoint, NetEndpoint.From(endpoint.ToIPEndPoint()));
            });
}
