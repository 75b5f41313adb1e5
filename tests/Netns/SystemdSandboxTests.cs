using System.Globalization;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The sandbox the systemd units give the daemons is enough for them: server and client run with only
/// the capabilities in their unit's CapabilityBoundingSet, with NoNewPrivileges and with the kernel
/// refusing writable-and-executable memory (PR_SET_MDWE, the kernel's own form of MemoryDenyWriteExecute),
/// and still bring the tunnel up, forward and take everything down again (Scripts/unit_sandbox.py).
/// </summary>
public sealed class SystemdSandboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Scripts", "unit_sandbox.py");

    /// <summary>A directive's value in packaging/systemd/<paramref name="unit"/>.</summary>
    private static string Directive(string unit, string key) =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "packaging", "systemd", unit))
            .Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    /// <summary>The capability bits of a set such as "CAP_NET_ADMIN CAP_NET_BIND_SERVICE".</summary>
    private static ulong Mask(string capabilities) => capabilities.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Aggregate(0UL, (mask, name) => mask | 1UL << name switch
        {
            "CAP_NET_BIND_SERVICE" => 10,
            "CAP_NET_ADMIN" => 12,
            "CAP_NET_RAW" => 13,
            _ => throw new InvalidOperationException($"add {name} to the test's table"),
        });

    /// <summary>A field of /proc/PID/status such as CapEff, as a number.</summary>
    private static ulong ProcStatus(int pid, string field) => ulong.Parse(
        File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim(),
        NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static RunningProcess StartSandboxed(VpnWorld world, string label, string ns, string unit, params string[] arguments)
    {
        var binary = MyVpnBinary.Published ?? throw new InvalidOperationException(
            "this test runs the NativeAOT myvpn (MYVPN_BINARY, which run-netns-tests.sh publishes): the JIT needs memory it can make executable");
        return world.Track(RunningProcess.Start(label, ns, "python3", [Script, Directive(unit, "CapabilityBoundingSet"), "--", binary, .. arguments]));
    }

    [Fact]
    public async Task Server_and_client_work_with_only_their_units_capabilities_and_no_writable_executable_memory()
    {
        Assert.Equal("yes", Directive("myvpn-server.service", "MemoryDenyWriteExecute"));
        Assert.Equal("yes", Directive("myvpn-client@.service", "MemoryDenyWriteExecute"));
        using var world = VpnWorld.Create();
        var forwardingBefore = Namespaces.ExecChecked(world.Net.Server, "cat", "/proc/sys/net/ipv4/ip_forward").Trim();

        var server = StartSandboxed(world, "server", world.Net.Server, "myvpn-server.service", "server", "--config", world.ServerConfig);
        Assert.True(await server.WaitForOutput("server up", Patience), world.Logs());
        var client = StartSandboxed(world, "pc1", world.Net.Pc1, "myvpn-client@.service",
            "client", "--server", $"{Topology.ServerWan}:9525", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route");
        Assert.True(await client.WaitForOutput("all traffic now goes through", Patience), world.Logs());

        Assert.Equal(Mask(Directive("myvpn-server.service", "CapabilityBoundingSet")), ProcStatus(server.Pid, "CapEff"));
        Assert.Equal(Mask(Directive("myvpn-client@.service", "CapabilityBoundingSet")), ProcStatus(client.Pid, "CapEff"));
        Assert.Equal(1UL, ProcStatus(client.Pid, "NoNewPrivs"));
        Assert.Equal("1", Namespaces.ExecChecked(world.Net.Server, "cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Equal("1", Namespaces.ExecChecked(world.Net.Pc1, "cat", "/proc/sys/net/ipv6/conf/tun0/disable_ipv6").Trim());
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1"), world.Logs());
        Assert.True(Topology.Ping(world.Net.Pc1, Topology.InternetHost), world.Logs()); // forwarded and masqueraded

        Assert.Equal(0, await client.Terminate(Patience));
        Assert.Equal(0, await server.Terminate(Patience));
        Assert.Equal(forwardingBefore, Namespaces.ExecChecked(world.Net.Server, "cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.DoesNotContain(" fail: ", world.Logs()); // no error was logged on the way
        Assert.DoesNotContain(" crit: ", world.Logs());
    }
}
