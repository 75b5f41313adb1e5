using MyVpn.Doctor;
using MyVpn.Net;
using Xunit;
using static MyVpn.Tests.Unit.Doctor.DoctorFacts;

namespace MyVpn.Tests.Unit.Doctor;

/// <summary>The client's checks on made-up facts: reaching the server by TCP and UDP, the MTU, DNS and IPv6 leaks.</summary>
public sealed class ClientChecksTests
{
    [Fact]
    public void Server_unreachable_by_TCP_fails_and_the_UDP_line_is_left_out()
    {
        var facts = HealthyClient() with { TcpProblem = "Connection refused", Udp = UdpProbe.Skipped("TCP failed") };
        Assert.Equal("FAIL server 192.0.2.1:9525 unreachable by TCP: Connection refused: check the address and port (server, --server), that the server runs, and that TCP 9525 is open in the firewalls on the way",
            Single(new TcpReachCheck(), facts).ToString());
        Assert.Empty(new UdpReachCheck().Check(facts));
    }

    [Fact]
    public void Echo_answered_over_UDP_is_ok() =>
        Assert.Equal("ok   server answers through the tunnel: handshake as 'pc1', echo over UDP port 40000", Single(new UdpReachCheck(), HealthyClient()).ToString());

    [Fact]
    public void No_answer_over_UDP_after_a_handshake_fails_naming_the_port()
    {
        var line = Single(new UdpReachCheck(), HealthyClient() with { Udp = new UdpProbe(UdpProbeOutcome.NoReply, Port: 40007) });
        Assert.Equal("FAIL no answer over UDP port 40007 after a handshake as 'pc1': TCP gets through but UDP does not: open the server's UDP session ports (40007 among them) in the firewalls on the way", line.ToString());
    }

    [Fact]
    public void A_refused_name_or_key_fails_with_what_must_match()
    {
        var line = Single(new UdpReachCheck(), HealthyClient() with { Udp = new UdpProbe(UdpProbeOutcome.Refused, "Reject AuthenticationFailed") });
        Assert.Equal("FAIL the server refused 'pc1': Reject AuthenticationFailed: the name and key must match one of the server's [[clients]] (or its shared key_file)", line.ToString());
    }

    [Fact]
    public void A_running_client_is_not_probed_and_the_line_says_why()
    {
        var line = Single(new UdpReachCheck(), HealthyClient() with { Udp = UdpProbe.Skipped("the client is running (tun0 exists)") });
        Assert.Equal("ok   UDP not probed: the client is running (tun0 exists)", line.ToString());
    }

    [Fact]
    public void Tun_mtu_too_large_for_the_path_fails_and_says_the_server_sets_it()
    {
        var line = Single(new ClientMtuCheck(), HealthyClient() with { PathDevice = new InterfaceFacts("eth0", true, true, 1280) });
        Assert.Equal("FAIL tun MTU 1420 + 60 bytes of tunnel overhead = 1480 against MTU 1280 of eth0 (towards the server 192.0.2.1): full-size packets would not fit; the MTU is the server's to set: set mtu (--mtu) on the server to 1220 or less", line.ToString());
    }

    [Fact]
    public void The_running_tun_devices_mtu_wins_over_the_granted_one()
    {
        var facts = HealthyClient() with { TunDevice = new InterfaceFacts("tun0", true, true, 1200), PathDevice = new InterfaceFacts("eth0", true, true, 1280) };
        Assert.Equal(Verdict.Ok, Single(new ClientMtuCheck(), facts).Verdict);
    }

    [Fact]
    public void No_route_to_the_server_fails() =>
        Assert.Equal("FAIL no route to the server 192.0.2.1: add a route (or a default route) towards it",
            Single(new ClientMtuCheck(), HealthyClient() with { PathDevice = null }).ToString());

    [Fact]
    public void A_full_tunnel_whose_resolver_sits_on_the_local_network_leaks_DNS()
    {
        var facts = HealthyClient() with { Nameservers = [IPv4Address.Parse("192.0.2.254")] };
        var line = new FullTunnelLeakCheck().Check(facts).First();
        Assert.Equal("FAIL DNS server 192.0.2.254 would be reached through eth0, outside the tunnel: queries would leave in clear past the VPN; use a resolver reached through the tunnel (a VPN address, or one the server pushes) in /etc/resolv.conf", line.ToString());
    }

    [Fact]
    public void A_resolver_behind_the_default_route_goes_through_the_tunnels_table()
    {
        var facts = HealthyClient() with { Nameservers = [IPv4Address.Parse("8.8.8.8")] };
        Assert.Equal("ok   DNS server 8.8.8.8 would be reached through tun0", new FullTunnelLeakCheck().Check(facts).First().ToString());
    }

    [Fact]
    public void The_server_itself_as_resolver_goes_through_the_tunnel_as_no_host_route_leads_around_it()
    {
        var facts = HealthyClient() with
        {
            Nameservers = [IPv4Address.Parse("198.51.100.1")],
            Routes = [new RouteEntry(IPv4Range.Parse("0.0.0.0/0"), "eth0")],
        };
        Assert.Equal("ok   DNS server 198.51.100.1 would be reached through tun0", new FullTunnelLeakCheck().Check(facts).First().ToString());
    }

    [Fact]
    public void While_the_client_runs_the_main_tables_specific_routes_are_taken_as_they_are()
    {
        var facts = HealthyClient() with
        {
            Running = "tun0 exists",
            Nameservers = [IPv4Address.Parse("8.8.8.8"), IPv4Address.Parse("9.9.9.9")],
            Routes = [new RouteEntry(IPv4Range.Parse("0.0.0.0/0"), "eth0"), new RouteEntry(IPv4Range.Parse("8.0.0.0/8"), "eth0")],
        };
        var lines = new FullTunnelLeakCheck().Check(facts).Select(l => l.What).ToList();
        Assert.Equal("DNS server 8.8.8.8 is reached through eth0, outside the tunnel", lines[0]);
        Assert.Equal("DNS server 9.9.9.9 is reached through tun0", lines[1]); // the main table's default is passed over
    }

    [Fact]
    public void Before_the_client_runs_the_DNS_servers_the_server_pushes_stand_in_for_resolv_conf()
    {
        var facts = HealthyClient() with
        {
            Nameservers = [IPv4Address.Parse("192.0.2.254")], // replaced once connected
            Udp = new UdpProbe(UdpProbeOutcome.Replied, Port: 40000, GrantedMtu: 1420)
            {
                PushedDns = [IPv4Address.Parse("10.0.0.1")],
                VpnSubnet = IPv4Range.Parse("10.0.0.0/24"),
            },
        };
        Assert.Equal("ok   DNS server 10.0.0.1 (pushed by the server) would be reached through tun0", new FullTunnelLeakCheck().Check(facts).First().ToString());

        var refusing = facts with { Setup = TestClientSetup with { AcceptDns = false } };
        Assert.Equal("FAIL DNS server 192.0.2.254 would be reached through eth0, outside the tunnel", "FAIL " + new FullTunnelLeakCheck().Check(refusing).First().What);
    }

    [Fact]
    public void A_pushed_route_more_specific_than_a_local_one_takes_the_resolver_into_the_tunnel()
    {
        var facts = HealthyClient() with
        {
            Nameservers = [IPv4Address.Parse("192.0.2.53")],
            Udp = new UdpProbe(UdpProbeOutcome.Replied, Port: 40000) { PushedRoutes = [IPv4Range.Parse("192.0.2.53/32")] },
        };
        Assert.Equal(Verdict.Ok, new FullTunnelLeakCheck().Check(facts).First().Verdict);
        Assert.Equal(Verdict.Fail, new FullTunnelLeakCheck().Check(facts with { Setup = TestClientSetup with { AcceptRoutes = false } }).First().Verdict);
        Assert.Equal(Verdict.Fail, new FullTunnelLeakCheck().Check(facts with { Udp = new UdpProbe(UdpProbeOutcome.Replied) }).First().Verdict);
    }

    [Fact]
    public void An_IPv6_resolver_on_a_full_tunnel_is_a_warning_as_one_on_the_local_network_leaks()
    {
        var facts = HealthyClient() with { IPv6Nameservers = ["2001:db8::53"] };
        Assert.Contains("warn DNS server 2001:db8::53 is an IPv6 address: reached directly if it is on the local network, else through tun0 when the session has IPv6, else refused: queries to a resolver on the local network leave in clear past the VPN; prefer a resolver reached through the tunnel (a VPN address, or one the server pushes)",
            new FullTunnelLeakCheck().Check(facts).Select(l => l.ToString()));
        var local = new FullTunnelLeakCheck().Check(HealthyClient() with { IPv6Nameservers = ["::1"] }).Single(l => l.What.Contains("::1", StringComparison.Ordinal));
        Assert.Equal(Verdict.Warn, local.Verdict);
    }

    [Fact]
    public void A_local_resolver_is_a_warning_about_its_upstreams()
    {
        var line = new FullTunnelLeakCheck().Check(HealthyClient() with { Nameservers = [IPv4Address.Parse("127.0.0.53")] }).First();
        Assert.Equal(Verdict.Warn, line.Verdict);
        Assert.Equal("DNS goes to a local resolver at 127.0.0.53", line.What);
    }

    [Fact]
    public void IPv6_default_route_or_global_address_on_a_full_tunnel_does_not_leak_as_the_rules_refuse_or_tunnel_IPv6()
    {
        var facts = HealthyClient() with { IPv6DefaultRoutes = ["eth0"], IPv6GlobalAddresses = ["2001:db8::2 on eth0"] };
        var line = new FullTunnelLeakCheck().Check(facts).Last();
        Assert.Equal("ok   IPv6 (default route via eth0; global address 2001:db8::2 on eth0) would be sent through tun0 when the session has IPv6, else refused while the tunnel is up: nothing leaves outside it but to the local network", line.ToString());
        Assert.Equal("ok   IPv6: no default route and no global address, nothing leaves outside the tunnel", new FullTunnelLeakCheck().Check(HealthyClient()).Last().ToString());
    }

    [Fact]
    public void A_split_tunnel_is_not_judged_for_leaks()
    {
        var facts = HealthyClient() with
        {
            Setup = TestClientSetup with { DefaultRoute = false },
            Nameservers = [IPv4Address.Parse("192.0.2.254")],
            IPv6DefaultRoutes = ["eth0"],
        };
        Assert.Equal("ok   not a full tunnel (default_route off): DNS and IPv6 take their usual ways", Single(new FullTunnelLeakCheck(), facts).ToString());
    }
}
