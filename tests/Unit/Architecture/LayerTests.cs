using System.Reflection;
using MyVpn.Crypto;
using MyVpn.Protocol;
using NetArchTest.Rules;
using Xunit;

namespace MyVpn.Tests.Unit.Architecture;

/// <summary>
/// Every "never" of shared/STYLE.md's layering as an assertion on namespaces. A namespace that
/// does not exist yet passes trivially and starts being checked the day its first type lands.
/// </summary>
public sealed class LayerTests
{
    private static readonly Assembly Daemon = typeof(WireFormat).Assembly;
    private static readonly Assembly Simulator = typeof(MyVpn.Sim.Program).Assembly;

    private static void AssertNoDependency(Assembly assembly, string layer, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).That().ResideInNamespace(layer)
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        var offenders = string.Join(", ", result.FailingTypeNames ?? []);
        Assert.True(result.IsSuccessful, $"{layer} must not depend on {string.Join("/", forbidden)}; offending types: {offenders}");
    }

    [Fact]
    public void Rule_check_detects_a_dependency_that_exists()
    {
        // Protocol does use MyVpn.Net (IPv4Address in the grant): the same check must report it.
        var result = Types.InAssembly(Daemon).That().ResideInNamespace("MyVpn.Protocol")
            .ShouldNot().HaveDependencyOn("MyVpn.Net").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains("MyVpn.Protocol.GrantEncoding", result.FailingTypeNames);
    }

    [Fact]
    public void Protocol_does_not_depend_on_the_seams_the_engines_the_hosts_or_the_simulator()
    {
        AssertNoDependency(Daemon, "MyVpn.Protocol",
            "MyVpn.Io", "MyVpn.Server", "MyVpn.Client", "MyVpn.Linux", "MyVpn.Cli", "MyVpn.Sim");
    }

    [Fact]
    public void Server_engine_does_not_depend_on_the_Linux_host_or_the_CLI()
    {
        AssertNoDependency(Daemon, "MyVpn.Server", "MyVpn.Linux", "MyVpn.Cli");
    }

    [Fact]
    public void Client_engine_does_not_depend_on_the_Linux_host_or_the_CLI()
    {
        AssertNoDependency(Daemon, "MyVpn.Client", "MyVpn.Linux", "MyVpn.Cli");
    }

    [Fact]
    public void Shared_data_path_does_not_depend_on_the_engines_the_Linux_host_or_the_CLI()
    {
        AssertNoDependency(Daemon, "MyVpn.Tunnel", "MyVpn.Server", "MyVpn.Client", "MyVpn.Linux", "MyVpn.Cli");
    }

    [Fact]
    public void Captures_do_not_depend_on_the_engines_or_the_hosts()
    {
        AssertNoDependency(Daemon, "MyVpn.Captures", "MyVpn.Server", "MyVpn.Client", "MyVpn.Linux", "MyVpn.Cli");
    }

    [Fact]
    public void Doctor_checks_touch_no_sockets_host_engines_or_CLI()
    {
        // the checks judge facts; gathering them (sockets, /proc, nft, ip) is the Linux side's job
        AssertNoDependency(Daemon, "MyVpn.Doctor",
            "MyVpn.Linux", "MyVpn.Cli", "MyVpn.Server", "MyVpn.Client", "MyVpn.Tunnel", "System.Net.Sockets", "System.Diagnostics.Process");
    }

    [Fact]
    public void Linux_host_does_not_depend_on_the_engines()
    {
        AssertNoDependency(Daemon, "MyVpn.Linux", "MyVpn.Server", "MyVpn.Client");
    }

    [Fact]
    public void Simulator_does_not_depend_on_the_Linux_host_or_the_CLI()
    {
        AssertNoDependency(Simulator, "MyVpn.Sim", "MyVpn.Linux", "MyVpn.Cli");
    }

    /// <summary>Engines expose counters; the meter in MyVpn.Metrics observes them, so neither the core nor the engines know metrics exist.</summary>
    [Fact]
    public void Core_data_path_and_engines_do_not_depend_on_the_metrics()
    {
        foreach (var layer in new[] { "MyVpn.Protocol", "MyVpn.Net", "MyVpn.Crypto", "MyVpn.Tunnel", "MyVpn.Server", "MyVpn.Client" })
            AssertNoDependency(Daemon, layer, "MyVpn.Metrics", "System.Diagnostics.Metrics");
    }

    [Fact]
    public void Metrics_do_not_touch_sockets_the_Linux_host_or_the_CLI()
    {
        AssertNoDependency(Daemon, "MyVpn.Metrics", "MyVpn.Linux", "MyVpn.Cli", "System.Net.Sockets");
    }

    [Fact]
    public void Metrics_rule_detects_a_dependency_that_exists()
    {
        var result = Types.InAssembly(Daemon).That().ResideInNamespace("MyVpn.Metrics")
            .ShouldNot().HaveDependencyOn("System.Diagnostics.Metrics").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains("MyVpn.Metrics.VpnMeter", result.FailingTypeNames);
    }

    [Fact]
    public void Protocol_and_engines_do_not_touch_sockets()
    {
        AssertNoDependency(Daemon, "MyVpn.Protocol", "System.Net.Sockets");
        AssertNoDependency(Daemon, "MyVpn.Server", "System.Net.Sockets");
        AssertNoDependency(Daemon, "MyVpn.Client", "System.Net.Sockets");
    }

    /// <summary>
    /// The core is single-threaded and pure: no locks, no <c>Interlocked</c> or <c>Volatile</c>, no timers, no
    /// cancellation tokens. Sharing its pieces between threads is the business of the layers that have threads
    /// (<c>MyVpn.Tunnel.Session</c> locks a session's sealer and opener).
    /// </summary>
    [Fact]
    public void Protocol_does_not_depend_on_threading()
    {
        AssertNoDependency(Daemon, "MyVpn.Protocol", "System.Threading");
    }

    [Fact]
    public void Threading_rule_check_detects_a_lock_and_Interlocked()
    {
        // Tunnel's Session takes a lock (Monitor) per direction and reads its counters with Interlocked.
        var result = Types.InAssembly(Daemon).That().ResideInNamespace("MyVpn.Tunnel")
            .ShouldNot().HaveDependencyOn("System.Threading").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains("MyVpn.Tunnel.Session", result.FailingTypeNames);
    }

    [Fact]
    public void Protocol_makes_no_native_calls()
    {
        // Native calls (and their handles) live in MyVpn.Crypto.OpenSsl and MyVpn.Linux, behind seams.
        AssertNoDependency(Daemon, "MyVpn.Protocol", "System.Runtime.InteropServices");
    }

    [Fact]
    public void Native_call_rule_detects_a_dependency_that_exists()
    {
        // The same check on the OpenSSL bindings must report them, or the rule above proves nothing.
        var result = Types.InAssembly(Daemon).That().ResideInNamespace("MyVpn.Crypto.OpenSsl")
            .ShouldNot().HaveDependencyOn("System.Runtime.InteropServices").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains("MyVpn.Crypto.OpenSsl.OpenSslAesGcm", result.FailingTypeNames);
    }

    [Fact]
    public void Crypto_does_not_depend_on_the_protocol_the_engines_or_the_hosts()
    {
        AssertNoDependency(Daemon, "MyVpn.Crypto",
            "MyVpn.Protocol", "MyVpn.Tunnel", "MyVpn.Io", "MyVpn.Server", "MyVpn.Client", "MyVpn.Linux", "MyVpn.Cli",
            "MyVpn.Captures", "MyVpn.Sim");
    }

    [Fact]
    public void Crypto_namespace_is_not_empty_so_its_rules_are_not_vacuous()
    {
        var types = Types.InAssembly(Daemon).That().ResideInNamespace("MyVpn.Crypto").GetTypes();
        Assert.Contains(typeof(IAead), types);
        Assert.Contains(typeof(MyVpn.Crypto.OpenSsl.OpenSslAesGcm), types);
        Assert.Contains(typeof(MyVpn.Crypto.DotNet.DotNetP256), types);
    }

    [Fact]
    public void Protocol_namespace_is_not_empty_so_its_rules_are_not_vacuous()
    {
        var types = Types.InAssembly(Daemon).That().ResideInNamespace("MyVpn.Protocol").GetTypes();
        Assert.Contains(typeof(SessionSealer), types);
        Assert.Contains(typeof(SessionOpener), types);
        Assert.Contains(typeof(ServerHandshake), types);
    }
}
