using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Live reload against the real daemon: a server with pc1 and pc2 connected gets a config without pc2 and
/// with a new pc3, and SIGHUP: pc2's session ends at once and its pings stop, pc1 goes on without a new
/// handshake, pc3 connects. A broken config is refused (file and key in the log, and in <c>myvpn reload</c>'s
/// error) and pc1 still works; <c>myvpn reload</c> reports the settings that need a restart.
/// </summary>
public sealed class LiveReloadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string Pc1AndPc3(string extra = "") => $"""
        keepalive = 2
        masquerade = "eth1"
        {extra}
        [[clients]]
        name = "pc1"
        key_file = "pc1.key"
        address = "10.0.0.2"

        [[clients]]
        name = "pc3"
        key_file = "pc3.key"
        """;

    private static bool Pings(string ns, string target, int count = 3) =>
        Namespaces.Exec(ns, "ping", "-n", "-q", "-c", count.ToString(), "-i", "0.2", "-W", "1", target) is var result
        && result.Output.Contains($"{count} received", StringComparison.Ordinal);

    private static bool NoPingAnswered(string ns, string target) =>
        Namespaces.Exec(ns, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "1", target).Output.Contains(" 0 received", StringComparison.Ordinal);

    /// <summary><c>myvpn reload</c> run in the server's namespace, as an administrator would.</summary>
    private static Shell.Result Reload(string ns) =>
        MyVpnBinary.Published is { } binary
            ? Namespaces.Exec(ns, binary, "reload")
            : Namespaces.Exec(ns, MyVpnBinary.Dotnet, MyVpnBinary.Dll, "reload");

    private static int Count(string text, string pattern) => Regex.Matches(text, Regex.Escape(pattern)).Count;

    [Fact]
    public async Task Sighup_applies_a_removed_and_an_added_client_leaves_the_other_session_alone_and_refuses_a_broken_config()
    {
        using var world = VpnWorld.Create();
        Assert.True(MyVpnBinary.Run("genkey", "-o", world.KeyOf("pc3")).Succeeded);
        var server = await world.StartServer();
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        var pc2 = await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
        Assert.True(Pings(world.Net.Pc1, "10.0.0.1"), world.Logs());
        Assert.True(Pings(world.Net.Pc2, "10.0.0.1"), world.Logs());
        var pc1Session = Regex.Match(server.Output, @"handshake ok: client pc1 from \S+ got 10\.0\.0\.2 on port \d+ \(session ([0-9a-f]{8})\)");
        Assert.True(pc1Session.Success, server.ToString());

        // remove pc2, add pc3, SIGHUP
        File.WriteAllText(world.ServerConfig, Pc1AndPc3());
        Signals.Send(server.Pid, Signals.SIGHUP);
        Assert.True(await server.WaitForOutput("reloaded clients:", Timeout), world.Logs());
        Assert.Contains("reloaded clients: added 1 (pc3), removed 1 (pc2), new key 0, new address 0", server.Output);
        Assert.Contains("session ended by a reload: client pc2 at 10.0.0.3", server.Output);
        Assert.True(NoPingAnswered(world.Net.Pc2, "10.0.0.1"), world.Logs());
        Assert.True(Pings(world.Net.Pc1, "10.0.0.1", 10), world.Logs());
        Assert.False(server.HasExited);
        Assert.Equal(1, Count(server.Output, "handshake ok: client pc1 "));
        Assert.Equal(1, Count(pc1.Output, "tunnel up"));

        // pc3 connects at once (from pc2's namespace, once pc2's client is gone)
        Assert.Equal(0, await pc2.Terminate(Timeout));
        await world.StartClient(world.Net.Pc2, "pc3", "--name", "pc3", "--key-file", world.KeyOf("pc3"));
        Assert.Contains("handshake ok: client pc3", server.Output);

        // a broken config: refused with the file and key, and pc1 still works on the old one
        File.WriteAllText(world.ServerConfig, "ports = \"1-\"\n" + Pc1AndPc3());
        Signals.Send(server.Pid, Signals.SIGHUP);
        Assert.True(await server.WaitForOutput("reload refused, still running on the previous configuration", Timeout), world.Logs());
        Assert.Matches(@"reload refused, still running on the previous configuration: \S*server\.toml[:\d]*: (key )?'?ports'?", server.Output);
        Assert.True(Pings(world.Net.Pc1, "10.0.0.1"), world.Logs());

        // myvpn reload: the same refusal as exit 1 and one line on stderr; then a good config with a restart-only change
        var refused = Reload(world.Net.Server);
        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"^myvpn reload: \S*server\.toml[:\d]*: (key )?'?ports'?", refused.Error);
        File.WriteAllText(world.ServerConfig, Pc1AndPc3("mtu = 1400"));
        var applied = Reload(world.Net.Server);
        Assert.True(applied.Succeeded, applied.ToString());
        Assert.Contains("clients: added 0, removed 0", applied.Output);
        Assert.Contains("needs a restart (not applied): mtu", applied.Output);
        Assert.Contains("needs a restart: mtu", server.Output);
        Assert.True(Pings(world.Net.Pc1, "10.0.0.1"), world.Logs());
        Assert.Equal(1, Count(server.Output, "handshake ok: client pc1 "));
    }

    [Fact]
    public async Task Sighup_does_not_stop_the_client()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));

        Signals.Send(pc1.Pid, Signals.SIGHUP);

        Assert.True(await pc1.WaitForOutput("SIGHUP: the client does not reload its configuration", Timeout), world.Logs());
        Assert.False(pc1.HasExited);
        Assert.True(Pings(world.Net.Pc1, "10.0.0.1"), world.Logs());
    }
}
