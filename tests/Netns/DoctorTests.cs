using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// <c>myvpn doctor</c> against the real kernel: each test breaks one thing on purpose in namespaces it
/// made (forwarding, the NAT rule, the handshake port taken or blocked, the UDP ports blocked, the path
/// MTU, a full tunnel's DNS and IPv6) and checks that the doctor names it, and that all is well
/// (exit 0) when nothing is broken.
/// </summary>
public sealed class DoctorTests
{
    private static string[] ClientArguments(VpnWorld world, params string[] more) =>
        ["client", "--server", $"{Topology.ServerWan}:9525", "--name", "pc1", "--key-file", world.KeyOf("pc1"), .. more];

    [Fact]
    public async Task Server_before_start_warns_about_forwarding_and_once_running_passes_every_check()
    {
        using var world = VpnWorld.Create();
        Namespaces.ExecChecked(world.Net.Server, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");

        var before = DoctorRun.In(world.Net.Server, "server", "-c", world.ServerConfig);
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("warn IPv4 forwarding is off: the server turns it on at start", before.Output);
        Assert.Contains("ok   TCP port 9525 (handshakes) is free", before.Output);
        Assert.Contains("ok   NAT: the server adds masquerade out of eth1 (table ip myvpn_tun0) at start", before.Output);
        Assert.Empty(DoctorRun.Lines(before, "FAIL"));

        var server = await world.StartServer();
        var running = DoctorRun.In(world.Net.Server, "server", "-c", world.ServerConfig);
        Assert.True(running.ExitCode == 0, running.ToString());
        Assert.Empty(DoctorRun.Lines(running, "warn"));
        Assert.Contains("ok   IPv4 forwarding is on", running.Output);
        Assert.Contains("ok   NAT: table ip myvpn_tun0 masquerades out of eth1", running.Output);
        Assert.Contains($"ok   TCP port 9525 (handshakes) is held by the running server (pid {server.Pid}) only", running.Output);
    }

    [Fact]
    public async Task Running_server_with_its_NAT_rule_flushed_and_forwarding_turned_off_fails_naming_both()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();
        Namespaces.ExecChecked(world.Net.Server, "nft", "flush", "chain", "ip", "myvpn_tun0", "postrouting");
        Namespaces.ExecChecked(world.Net.Server, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");

        var result = DoctorRun.In(world.Net.Server, "server", "-c", world.ServerConfig);
        Assert.Equal(1, result.ExitCode);
        var failed = DoctorRun.Lines(result, "FAIL");
        Assert.Contains(failed, l => l.StartsWith("FAIL NAT rule missing: table ip myvpn_tun0 has no masquerade out of eth1: ", StringComparison.Ordinal));
        Assert.Contains(failed, l => l.StartsWith("FAIL IPv4 forwarding is off while the server runs: ", StringComparison.Ordinal)
            && l.EndsWith("run: sysctl -w net.ipv4.ip_forward=1", StringComparison.Ordinal));
        Assert.Equal(2, failed.Count);
    }

    [Fact]
    public async Task Handshake_port_taken_by_another_program_is_named_with_its_pid()
    {
        using var world = VpnWorld.Create();
        using var squatter = RunningProcess.Start("squatter", world.Net.Server, "python3", "-u", "-c", """
            import socket, time
            t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("0.0.0.0", 9525)); t.listen()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 40001))
            print("bound", flush=True)
            time.sleep(600)
            """);
        Assert.True(await squatter.WaitForOutput("bound", TimeSpan.FromSeconds(20)), squatter.ToString());

        var result = DoctorRun.In(world.Net.Server, "server", "-c", world.ServerConfig);
        Assert.Equal(1, result.ExitCode);
        var pythonPid = Namespaces.Pids(world.Net.Server).Single();
        Assert.Contains($"FAIL TCP port 9525 (handshakes) is taken by python3 (pid {pythonPid}) on 0.0.0.0: stop that program", result.Output);
        Assert.Contains($"warn UDP ports 40000-40999 (sessions): 1 of 1000 taken (40001 by python3 (pid {pythonPid}))", result.Output);
    }

    [Fact]
    public async Task Firewall_drops_are_named_on_the_server_and_seen_from_the_client_by_TCP_and_through_the_protocol()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();

        var well = DoctorRun.In(world.Net.Pc1, ClientArguments(world));
        Assert.True(well.ExitCode == 0, well.ToString() + world.Logs());
        Assert.Contains("ok   server answers through the tunnel: handshake as 'pc1', echo over UDP port 4000", well.Output);

        Nft(world.Net.Server, """
            table inet doctortest {
                chain input {
                    type filter hook input priority filter; policy accept;
                    udp dport 40000-40999 drop
                }
            }
            """);
        var serverSide = DoctorRun.In(world.Net.Server, "server", "-c", world.ServerConfig);
        Assert.Equal(1, serverSide.ExitCode);
        Assert.Contains("FAIL UDP ports 40000-40999 (sessions) blocked by the firewall: table inet doctortest chain input rule handle", serverSide.Output);
        Assert.Contains("ok   TCP port 9525 (handshakes) open in the firewall", serverSide.Output);

        var udpBlocked = DoctorRun.In(world.Net.Pc1, ClientArguments(world));
        Assert.Equal(1, udpBlocked.ExitCode);
        Assert.Contains("FAIL no answer over UDP port 400", udpBlocked.Output);
        Assert.Contains("ok   server 192.0.2.1:9525 accepts TCP (handshakes)", udpBlocked.Output);

        Namespaces.ExecChecked(world.Net.Server, "nft", "add", "rule", "inet", "doctortest", "input", "tcp", "dport", "9525", "drop");
        var tcpBlocked = DoctorRun.In(world.Net.Pc1, ClientArguments(world));
        Assert.Equal(1, tcpBlocked.ExitCode);
        Assert.Contains("FAIL server 192.0.2.1:9525 unreachable by TCP: no answer within 3 s", tcpBlocked.Output);
        Assert.DoesNotContain("UDP", tcpBlocked.Output);
        Assert.Contains("FAIL TCP port 9525 (handshakes) blocked by the firewall", DoctorRun.In(world.Net.Server, "server", "-c", world.ServerConfig).Output);
    }

    [Fact]
    public async Task Wrong_port_is_refused_by_TCP()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();
        var result = DoctorRun.In(world.Net.Pc1, "client", "--server", $"{Topology.ServerWan}:9999", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL server 192.0.2.1:9999 unreachable by TCP: Connection refused", result.Output);
    }

    [Fact]
    public async Task Tun_mtu_larger_than_the_path_to_the_server_allows_fails()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();
        Namespaces.ExecChecked(world.Net.Pc1, "ip", "link", "set", "eth0", "mtu", "1280");

        var result = DoctorRun.In(world.Net.Pc1, ClientArguments(world));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL tun MTU 1420 + 60 bytes of tunnel overhead = 1480 against MTU 1280 of eth0 (towards the server 192.0.2.1): full-size packets would not fit; the MTU is the server's to set: set mtu (--mtu) on the server to 1220 or less", result.Output);
    }

    [Fact]
    public async Task Full_tunnel_with_a_resolver_off_the_tunnel_leaks_DNS_while_IPv6_is_refused_and_a_running_client_is_not_probed()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();
        var netnsEtc = $"/etc/netns/{world.Net.Pc1}";
        Directory.CreateDirectory(netnsEtc);
        try
        {
            File.WriteAllText($"{netnsEtc}/resolv.conf", $"nameserver {Topology.WanGateway}\nnameserver 2001:db8::53\n");
            Namespaces.ExecChecked(world.Net.Pc1, "ip", "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad");
            Namespaces.ExecChecked(world.Net.Pc1, "ip", "-6", "route", "add", "default", "via", "2001:db8::1", "dev", "eth0");

            var before = DoctorRun.In(world.Net.Pc1, ClientArguments(world, "--default-route"));
            Assert.Equal(1, before.ExitCode);
            Assert.Contains("FAIL DNS server 192.0.2.254 would be reached through eth0, outside the tunnel", before.Output);
            Assert.Contains("warn DNS server 2001:db8::53 is an IPv6 address: reached directly if it is on the local network", before.Output);
            Assert.Contains("ok   IPv6 (default route via eth0; global address 2001:db8::2 on eth0) would be sent through tun0 when the session has IPv6, else refused", before.Output);
            Assert.Contains("ok   server answers through the tunnel", before.Output);

            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route");
            var running = DoctorRun.In(world.Net.Pc1, ClientArguments(world, "--default-route"));
            Assert.Contains("ok   UDP not probed: the client is running (tun0 exists)", running.Output);
            Assert.Contains("FAIL DNS server 192.0.2.254 is reached through eth0, outside the tunnel", running.Output);

            File.WriteAllText($"{netnsEtc}/resolv.conf", "nameserver 10.0.0.1\n");
            Namespaces.ExecChecked(world.Net.Pc1, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            var fixedUp = DoctorRun.In(world.Net.Pc1, ClientArguments(world, "--default-route"));
            Assert.True(fixedUp.ExitCode == 0, fixedUp.ToString());
            Assert.Contains("ok   DNS server 10.0.0.1 is reached through tun0", fixedUp.Output);
        }
        finally
        {
            Directory.Delete(netnsEtc, recursive: true);
        }
    }

    [Fact]
    public async Task Before_the_client_runs_the_DNS_server_the_server_pushes_is_judged_instead_of_resolv_conf()
    {
        using var world = VpnWorld.Create();
        await world.StartServer(["--config", world.ServerConfig, "--push-dns", "10.0.0.1"]);
        var netnsEtc = $"/etc/netns/{world.Net.Pc1}";
        Directory.CreateDirectory(netnsEtc);
        try
        {
            File.WriteAllText($"{netnsEtc}/resolv.conf", $"nameserver {Topology.WanGateway}\n");
            var result = DoctorRun.In(world.Net.Pc1, ClientArguments(world, "--default-route"));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("ok   DNS server 10.0.0.1 (pushed by the server) would be reached through tun0", result.Output);
            Assert.DoesNotContain(Topology.WanGateway, result.Output);
        }
        finally
        {
            Directory.Delete(netnsEtc, recursive: true);
        }
    }

    private static void Nft(string ns, string script)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, script);
            Namespaces.ExecChecked(ns, "nft", "-f", path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
