using System.Net;
using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>Reading the host's IPv6 addresses from <c>ip -6 -o addr show</c>.</summary>
public sealed class HostAddresses6Tests
{
    [Fact]
    public void Takes_every_inet6_address_once_without_its_prefix()
    {
        const string output = """
            1: lo    inet6 ::1/128 scope host noprefixroute \       valid_lft forever preferred_lft forever
            2: eth1    inet6 2001:db8:8::1/64 scope global \       valid_lft forever preferred_lft forever
            2: eth1    inet6 fe80::1c2b:3ff:fe4d:5e6f/64 scope link proto kernel_ll \       valid_lft forever preferred_lft forever
            5: tun0    inet6 fd00:6::1/64 scope global \       valid_lft forever preferred_lft forever
            6: eth2    inet6 2001:db8:8::1/64 scope global \       valid_lft forever preferred_lft forever
            """;

        Assert.Equal(["::1", "2001:db8:8::1", "fe80::1c2b:3ff:fe4d:5e6f", "fd00:6::1"],
            HostAddresses6.Parse(output).Select(a => a.ToString()));
    }

    [Fact]
    public void No_output_is_no_address()
    {
        Assert.Empty(HostAddresses6.Parse(""));
        Assert.Equal([IPAddress.Parse("::1")], HostAddresses6.Parse("1: lo inet6 ::1/128 scope host"));
    }
}
