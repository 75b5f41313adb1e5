using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

public sealed class HostAddressesTests
{
    [Fact]
    public void Reads_every_address_and_broadcast_address_of_ip_addr_show()
    {
        const string output = """
            1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
            2: eth0    inet 192.0.2.1/24 brd 192.0.2.255 scope global eth0\       valid_lft forever preferred_lft forever
            3: eth1    inet 203.0.113.1/24 brd 203.0.113.255 scope global eth1\       valid_lft forever preferred_lft forever
            3: eth1    inet 198.51.100.9/32 scope global eth1\       valid_lft forever preferred_lft forever
            9: tun0    inet 10.0.0.1/24 scope global tun0\       valid_lft forever preferred_lft forever
            """;

        var addresses = HostAddresses.Parse(output).Select(a => a.ToString());

        Assert.Equal(["10.0.0.1", "127.0.0.1", "192.0.2.1", "192.0.2.255", "198.51.100.9", "203.0.113.1", "203.0.113.255"], addresses);
    }

    [Fact]
    public void Reads_the_real_hosts_addresses_including_loopback()
    {
        Assert.Contains(HostAddresses.Read(), a => a.ToString() == "127.0.0.1");
    }
}
