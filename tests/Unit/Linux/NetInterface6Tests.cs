using System.Net;
using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>How IPv6 is turned on for the tun device and its address given (the real kernel does it in the Netns Ipv6TunnelTests).</summary>
public sealed class NetInterface6Tests
{
    [Fact]
    public void Ipv6_is_turned_on_last_after_link_local_addresses_and_router_discovery_are_off()
    {
        var settings = NetInterface6.EnableSettings("tun0");

        Assert.Equal(("/proc/sys/net/ipv6/conf/tun0/disable_ipv6", "0"), settings[^1]);
        Assert.Contains(("/proc/sys/net/ipv6/conf/tun0/addr_gen_mode", "1"), settings);
        Assert.Contains(("/proc/sys/net/ipv6/conf/tun0/accept_ra", "0"), settings);
        Assert.Contains(("/proc/sys/net/ipv6/conf/tun0/router_solicitations", "0"), settings);
    }

    [Fact]
    public void The_address_is_added_with_its_prefix_and_without_duplicate_detection()
    {
        Assert.Equal(["-6", "addr", "add", "fd00:6::2/64", "dev", "tun0", "nodad"],
            NetInterface6.AddArguments("tun0", IPAddress.Parse("fd00:6::2"), 64));
    }

    [Fact]
    public void An_mtu_below_ipv6s_minimum_is_refused_naming_the_keys_to_change()
    {
        var error = Assert.Throws<SetupException>(() => NetInterface6.Enable("tun-none", 1200));

        Assert.Equal("mtu 1200 is below 1280, the least IPv6 works with: raise mtu or leave out subnet6", error.Message);
    }
}
