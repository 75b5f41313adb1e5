using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The rules a client holds the IPv6 part of a grant to (<see cref="Ipv6Grant.Problem"/>), each at its edge and
/// with the message that names what is wrong: the prefix /64../120, both addresses hosts of the subnet and
/// distinct, and the subnet outside ::/8, fe80::/10 and ff00::/8 up to their last addresses.
/// </summary>
public sealed class Ipv6GrantRulesTests
{
    private static string? Problem(string client, int prefix, string server) =>
        new Ipv6Grant(IPv6Address.Parse(client), prefix, IPv6Address.Parse(server)).Problem();

    [Theory]
    [InlineData(64)]
    [InlineData(120)]
    public void Prefix_at_either_bound_is_accepted(int prefix)
    {
        Assert.Null(Problem("fd00:1::2", prefix, "fd00:1::1"));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(121)]
    public void Prefix_past_either_bound_is_refused(int prefix)
    {
        Assert.Equal($"IPv6 prefix /{prefix} is outside /64../120", Problem("fd00:1::2", prefix, "fd00:1::1"));
    }

    [Fact]
    public void Server_outside_the_subnet_is_refused()
    {
        Assert.Equal("server IPv6 address fd00:2::1 is outside fd00:1::/64", Problem("fd00:1::2", 64, "fd00:2::1"));
        // /120 leaves the last byte to the host: ::1:1 is outside fd00:1::/120
        Assert.Equal("server IPv6 address fd00:1::101 is outside fd00:1::/120", Problem("fd00:1::2", 120, "fd00:1::101"));
    }

    [Fact]
    public void Same_address_for_client_and_server_is_refused()
    {
        Assert.Equal("client and server have the same IPv6 address", Problem("fd00:1::1", 64, "fd00:1::1"));
    }

    [Theory]
    [InlineData("fd00:1::", "fd00:1::1")]
    [InlineData("fd00:1::2", "fd00:1::")]
    public void The_subnets_first_address_is_no_hosts(string client, string server)
    {
        Assert.Equal("the first address of fd00:1::/64 is not a host's", Problem(client, 64, server));
    }

    [Theory]
    [InlineData("::2", "::/8 (unspecified, loopback, IPv4-mapped)")]
    [InlineData("ff:1::2", "::/8 (unspecified, loopback, IPv4-mapped)")]
    [InlineData("fe80::2", "fe80::/10 (link-local)")]
    [InlineData("febf:1::2", "fe80::/10 (link-local)")]
    [InlineData("ff00::2", "ff00::/8 (multicast)")]
    [InlineData("ffff:1::2", "ff00::/8 (multicast)")]
    public void Subnet_inside_a_special_range_is_refused_naming_it(string client, string range)
    {
        var subnet = new IPv6Subnet(IPv6Address.Parse(client), 64);
        var server = subnet.Host(1).ToString();

        Assert.Equal($"IPv6 subnet {subnet} is inside {range}", Problem(client, 64, server));
    }

    [Theory]
    [InlineData("100::2")]
    [InlineData("fe7f::2")]
    [InlineData("fec0::2")]
    [InlineData("feff::2")]
    [InlineData("2001:db8::2")]
    public void Subnet_just_outside_the_special_ranges_is_accepted(string client)
    {
        var server = new IPv6Subnet(IPv6Address.Parse(client), 64).Host(1).ToString();

        Assert.Null(Problem(client, 64, server));
    }

    [Fact]
    public void Subnet_is_the_clients_address_under_the_prefix()
    {
        var grant = new Ipv6Grant(IPv6Address.Parse("fd00:1:2:3::2"), 64, IPv6Address.Parse("fd00:1:2:3::1"));

        Assert.Equal(IPv6Subnet.Parse("fd00:1:2:3::/64"), grant.Subnet);
    }
}
