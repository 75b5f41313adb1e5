using MyVpn.Doctor;
using Xunit;
using static MyVpn.Tests.Unit.Doctor.DoctorFacts;

namespace MyVpn.Tests.Unit.Doctor;

/// <summary>The server's checks on made-up facts: forwarding, NAT, the outside interface, the ports' owners, the MTU.</summary>
public sealed class ServerChecksTests
{
    [Fact]
    public void Forwarding_off_before_start_is_a_warning_that_the_server_turns_it_on()
    {
        var line = Single(new ForwardingCheck(), HealthyServer() with { Forwarding = "0" });
        Assert.Equal("warn IPv4 forwarding is off: the server turns it on at start and off again at exit; to keep it on, put net.ipv4.ip_forward=1 in /etc/sysctl.d/", line.ToString());
    }

    [Fact]
    public void Forwarding_off_while_the_server_runs_fails_with_the_sysctl_to_run()
    {
        var line = Single(new ForwardingCheck(), HealthyServer(runningPid: 812) with { Forwarding = "0" });
        Assert.Equal(Verdict.Fail, line.Verdict);
        Assert.Equal("IPv4 forwarding is off while the server runs", line.What);
        Assert.EndsWith("run: sysctl -w net.ipv4.ip_forward=1", line.Advice);
        Assert.Contains("pid 812", line.Advice);
    }

    [Fact]
    public void Forwarding_on_is_ok() =>
        Assert.Equal("ok   IPv4 forwarding is on", Single(new ForwardingCheck(), HealthyServer()).ToString());

    [Fact]
    public void Running_server_with_its_masquerade_rule_is_ok()
    {
        var line = Single(new MasqueradeCheck(), HealthyServer(runningPid: 7) with { Ruleset = MasqueradeRuleset });
        Assert.Equal("ok   NAT: table ip myvpn_tun0 masquerades out of eth1", line.ToString());
    }

    [Fact]
    public void Running_server_whose_masquerade_rule_was_flushed_fails_and_says_to_restart()
    {
        var flushed = """{"nftables":[{"chain":{"family":"ip","table":"myvpn_tun0","name":"postrouting","handle":5,"type":"nat","hook":"postrouting","prio":100,"policy":"accept"}}]}""";
        var line = Single(new MasqueradeCheck(), HealthyServer(runningPid: 7) with { Ruleset = NftRuleset.Parse(flushed) });
        Assert.Equal("FAIL NAT rule missing: table ip myvpn_tun0 has no masquerade out of eth1: something removed or flushed it, so clients reach nothing beyond the server; restart the server to add it again", line.ToString());
    }

    [Fact]
    public void Masquerade_out_of_another_interface_does_not_count()
    {
        var line = Single(new MasqueradeCheck(), HealthyServer(runningPid: 7) with
        {
            Setup = TestServerSetup with { Masquerade = "eth9" },
            Ruleset = MasqueradeRuleset,
        });
        Assert.Equal(Verdict.Fail, line.Verdict);
    }

    [Fact]
    public void Before_start_the_NAT_rule_is_announced_not_required()
    {
        var line = Single(new MasqueradeCheck(), HealthyServer() with { Ruleset = NoRules });
        Assert.Equal("ok   NAT: the server adds masquerade out of eth1 (table ip myvpn_tun0) at start", line.ToString());
    }

    [Fact]
    public void No_masquerade_warns_that_clients_will_not_reach_the_internet()
    {
        var line = Single(new MasqueradeCheck(), HealthyServer() with { Setup = TestServerSetup with { Masquerade = null } });
        Assert.Equal(Verdict.Warn, line.Verdict);
        Assert.Contains("not the internet", line.Advice);
        Assert.Contains("masquerade = \"IFACE\"", line.Advice);
    }

    [Fact]
    public void Outside_interface_missing_or_down_fails()
    {
        Assert.Equal("FAIL outside interface eth1 does not exist: set masquerade to the interface towards the internet (ip route get 1.1.1.1 names it)",
            Single(new OutsideInterfaceCheck(), HealthyServer() with { Outside = InterfaceFacts.Missing("eth1") }).ToString());
        Assert.Equal("FAIL outside interface eth1 is down: run: ip link set eth1 up",
            Single(new OutsideInterfaceCheck(), HealthyServer() with { Outside = new InterfaceFacts("eth1", true, false, 1500) }).ToString());
        Assert.Equal("ok   outside interface eth1 is up", Single(new OutsideInterfaceCheck(), HealthyServer()).ToString());
    }

    [Fact]
    public void Handshake_port_held_by_another_program_fails_and_names_it()
    {
        var facts = HealthyServer() with { Sockets = [new BoundSocket(SocketProtocol.Tcp, "0.0.0.0", 9525, 1, 812, "python3")] };
        var line = new PortOwnerCheck().Check(facts).First();
        Assert.Equal("FAIL TCP port 9525 (handshakes) is taken by python3 (pid 812) on 0.0.0.0: stop that program, or give the server another port (listen = \"0.0.0.0:PORT\", --listen 0.0.0.0:PORT)", line.ToString());
    }

    [Fact]
    public void Ports_held_by_the_running_server_itself_are_fine()
    {
        var facts = HealthyServer(runningPid: 99) with
        {
            Sockets = [new BoundSocket(SocketProtocol.Tcp, "0.0.0.0", 9525, 1, 99, "myvpn"), new BoundSocket(SocketProtocol.Udp, "0.0.0.0", 40000, 2, 99, "myvpn")],
        };
        var lines = new PortOwnerCheck().Check(facts).ToList();
        Assert.All(lines, l => Assert.Equal(Verdict.Ok, l.Verdict));
        Assert.Equal("ok   TCP port 9525 (handshakes) is held by the running server (pid 99) only", lines[0].ToString());
    }

    [Fact]
    public void A_listener_on_another_address_does_not_collide_with_a_specific_listen_address()
    {
        var facts = HealthyServer() with
        {
            Setup = TestServerSetup with { Listen = MyVpn.Net.NetEndpoint.Parse("192.0.2.1:9525") },
            Sockets = [new BoundSocket(SocketProtocol.Tcp, "127.0.0.1", 9525, 1, 5, "sshd")],
        };
        Assert.Equal(Verdict.Ok, new PortOwnerCheck().Check(facts).First().Verdict);
        var wildcard = facts with { Sockets = [new BoundSocket(SocketProtocol.Tcp, "::", 9525, 1, 5, "sshd")] };
        Assert.Equal(Verdict.Fail, new PortOwnerCheck().Check(wildcard).First().Verdict);
    }

    [Fact]
    public void Some_session_ports_taken_warn_and_all_of_them_fail()
    {
        var some = HealthyServer() with
        {
            Sockets = [new BoundSocket(SocketProtocol.Udp, "0.0.0.0", 40003, 1, 5, "dnsmasq"), new BoundSocket(SocketProtocol.Udp, "0.0.0.0", 40001, 2)],
        };
        var line = new PortOwnerCheck().Check(some).Last();
        Assert.Equal(Verdict.Warn, line.Verdict);
        Assert.Equal("UDP ports 40000-40999 (sessions): 2 of 1000 taken (40001 by another program, 40003 by dnsmasq (pid 5))", line.What);

        var all = HealthyServer() with
        {
            Setup = TestServerSetup with { FirstPort = 40000, LastPort = 40001 },
            Sockets = [new BoundSocket(SocketProtocol.Udp, "0.0.0.0", 40000, 1), new BoundSocket(SocketProtocol.Udp, "0.0.0.0", 40001, 2)],
        };
        Assert.Equal(Verdict.Fail, new PortOwnerCheck().Check(all).Last().Verdict);
    }

    [Fact]
    public void Tun_mtu_plus_60_bytes_must_fit_the_outside_interface()
    {
        var ok = Single(new ServerMtuCheck(), HealthyServer() with { InternetRoute = null });
        Assert.Equal("ok   tun MTU 1420 + 60 bytes of tunnel overhead = 1480 against MTU 1500 of eth1 (towards the internet, masquerade)", ok.ToString());

        var small = HealthyServer() with { Outside = new InterfaceFacts("eth1", true, true, 1400), InternetRoute = null };
        Assert.Equal("FAIL tun MTU 1420 + 60 bytes of tunnel overhead = 1480 against MTU 1400 of eth1 (towards the internet, masquerade): full-size packets would not fit; set mtu (--mtu) to 1340 or less",
            Single(new ServerMtuCheck(), small).ToString());

        var exact = HealthyServer() with { Outside = new InterfaceFacts("eth1", true, true, 1480), InternetRoute = null };
        Assert.Equal(Verdict.Ok, Single(new ServerMtuCheck(), exact).Verdict);
    }

    [Fact]
    public void The_overhead_is_IPv4_and_UDP_headers_and_the_data_packets_IV_and_tag() =>
        Assert.Equal(20 + 8 + 16 + 16, TunnelMtu.Overhead);
}
