using MyVpn.Doctor;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Doctor;

/// <summary>The readers of what the kernel and its tools print: the socket tables, resolv.conf, <c>ip -j</c>.</summary>
public sealed class DoctorParsingTests
{
    private const string ProcNetTcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:8DB1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12183333 1 00000000c351ef8e 100 0 0 10 0
           1: 00000000:2535 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1063 1 0000000070310f84 100 0 0 10 0
           2: 010011AC:2535 020011AC:C350 01 00000000:00000000 00:00000000 00000000     0        0 2000 1 0000000070310f84 100 0 0 10 0
        """;

    [Fact]
    public void Listening_TCP_sockets_are_read_with_address_port_and_inode_and_connections_are_skipped()
    {
        var sockets = ProcNetSockets.Parse(ProcNetTcp, SocketProtocol.Tcp).ToList();
        Assert.Equal(2, sockets.Count);
        Assert.Equal(new BoundSocket(SocketProtocol.Tcp, "127.0.0.1", 0x8DB1, 12183333), sockets[0]);
        Assert.Equal(new BoundSocket(SocketProtocol.Tcp, "0.0.0.0", 9525, 1063), sockets[1]);
    }

    [Fact]
    public void Every_UDP_socket_counts_and_IPv6_addresses_are_read_word_by_word()
    {
        const string udp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
            12: 00000000000000000000000000000000:9C40 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 777 2 0000000000000000 0
            13: 000080FE00000000FF0000020000FEFF:9C41 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 778 2 0000000000000000 0
            """;
        var sockets = ProcNetSockets.Parse(udp6, SocketProtocol.Udp).ToList();
        Assert.Equal(new BoundSocket(SocketProtocol.Udp, "::", 40000, 777), sockets[0]);
        Assert.Equal("fe80::200:ff:fffe:0", sockets[1].Address);
    }

    [Fact]
    public void Resolv_conf_gives_its_IPv4_nameservers_in_order()
    {
        var servers = ResolvConf.Nameservers("# by the test\nsearch example.org\nnameserver 192.0.2.254\nnameserver 2001:db8::1\n nameserver\t10.0.0.1\noptions edns0\n");
        Assert.Equal([IPv4Address.Parse("192.0.2.254"), IPv4Address.Parse("10.0.0.1")], servers);
        Assert.Equal(["2001:db8::1"], ResolvConf.IPv6Nameservers("nameserver 192.0.2.254\nnameserver 2001:db8::1\n# nameserver 2001:db8::2\n"));
    }

    [Fact]
    public void Ip_route_json_gives_unicast_routes_with_default_as_slash_0_and_hosts_as_slash_32()
    {
        const string json = """
            [{"dst":"default","gateway":"192.0.2.254","dev":"eth0","flags":[]},
             {"dst":"192.0.2.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.0.2.2","flags":[]},
             {"dst":"192.0.2.1","gateway":"192.0.2.254","dev":"eth0","flags":[]},
             {"type":"blackhole","dst":"198.51.100.0/24","flags":[]}]
            """;
        var routes = IpRouteJson.Routes(json);
        Assert.Equal(
            [new RouteEntry(IPv4Range.Parse("0.0.0.0/0"), "eth0"), new RouteEntry(IPv4Range.Parse("192.0.2.0/24"), "eth0"), new RouteEntry(IPv4Range.Parse("192.0.2.1/32"), "eth0")],
            routes);
        Assert.Equal("eth0", RouteEntry.Lookup(routes, IPv4Address.Parse("192.0.2.1"))!.Device);
        Assert.Equal(32, RouteEntry.Lookup(routes, IPv4Address.Parse("192.0.2.1"))!.Destination.PrefixLength);
        Assert.Equal(0, RouteEntry.Lookup(routes, IPv4Address.Parse("8.8.8.8"))!.Destination.PrefixLength);
    }

    [Fact]
    public void Ip_addr_json_gives_each_global_IPv6_address_with_its_interface()
    {
        const string json = """[{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet6","local":"2001:db8::2","prefixlen":64,"scope":"global"}]}]""";
        Assert.Equal(["2001:db8::2 on eth0"], IpRouteJson.Addresses(json));
        Assert.Equal(["eth0"], IpRouteJson.Devices("""[{"dst":"default","gateway":"2001:db8::1","dev":"eth0"}]"""));
        Assert.Empty(IpRouteJson.Devices(""));
    }
}
