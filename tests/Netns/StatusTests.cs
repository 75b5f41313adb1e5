using System.Text.Json;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// <c>myvpn status</c> against the real daemons: asked through the control socket inside the server's and a
/// client's namespace, it lists both clients with their addresses and counts the pings going through;
/// the socket is root's (0600), gone once the daemon has stopped, and replaced after a daemon was killed.
/// </summary>
public sealed class StatusTests
{
    private static Shell.Result Myvpn(string ns, params string[] arguments) =>
        MyVpnBinary.Published is { } binary
            ? Namespaces.Exec(ns, [binary, .. arguments])
            : Namespaces.Exec(ns, [MyVpnBinary.Dotnet, MyVpnBinary.Dll, .. arguments]);

    private static JsonElement StatusJson(string ns)
    {
        var result = Myvpn(ns, "status", "--json");
        Assert.True(result.Succeeded, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(1, json.RootElement.GetProperty("schema").GetInt32());
        return json.RootElement.Clone();
    }

    private static JsonElement Session(JsonElement status, string name) =>
        status.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private static long Count(JsonElement owner, string counter) => owner.GetProperty("traffic").GetProperty(counter).GetInt64();

    private static string SocketOf(string ns) => $"/run/myvpn/tun0.{Namespaces.Inode(ns)}.sock";

    [Fact]
    public async Task Status_lists_both_clients_counts_the_pings_and_the_socket_goes_with_the_daemon()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        var pc2 = await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
        // a daemon killed outright leaves its socket file behind; the next one replaces it
        pc2.Kill();
        Assert.True(await pc2.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.True(File.Exists(SocketOf(world.Net.Pc2)));
        Assert.NotEqual(0, Myvpn(world.Net.Pc2, "status").ExitCode);
        pc2 = await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
        Assert.Equal(pc2.Pid, StatusJson(world.Net.Pc2).GetProperty("pid").GetInt32());
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 3), world.Logs());
        Assert.True(Topology.Ping(world.Net.Pc2, "10.0.0.2", count: 2), world.Logs()); // pc2 -> pc1, through the server

        var before = StatusJson(world.Net.Server);
        Assert.Equal("server", before.GetProperty("role").GetString());
        Assert.Equal(server.Pid, before.GetProperty("pid").GetInt32());
        Assert.Equal("10.0.0.1", before.GetProperty("address").GetString());
        Assert.Equal("10.0.0.2", Session(before, "pc1").GetProperty("address").GetString());
        Assert.Equal("10.0.0.3", Session(before, "pc2").GetProperty("address").GetString());
        Assert.StartsWith($"{Topology.Pc1Wan}:", Session(before, "pc1").GetProperty("endpoint").GetString());
        Assert.StartsWith($"{Topology.Pc2Wan}:", Session(before, "pc2").GetProperty("endpoint").GetString());
        foreach (var name in new[] { "pc1", "pc2" })
        {
            Assert.True(Count(Session(before, name), "rx_packets") > 0, $"{name}: {Session(before, name)}");
            Assert.True(Count(Session(before, name), "tx_packets") > 0, $"{name}: {Session(before, name)}");
        }
        var pc1Before = StatusJson(world.Net.Pc1);
        Assert.Equal("client", pc1Before.GetProperty("role").GetString());
        Assert.True(pc1Before.GetProperty("connected").GetBoolean());
        Assert.Equal("10.0.0.2", pc1Before.GetProperty("address").GetString());
        Assert.Equal(Session(before, "pc1").GetProperty("port").GetInt32(), Session(pc1Before, "pc1").GetProperty("port").GetInt32());

        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 5), world.Logs());

        // five echo requests in and five replies out at least (keepalives are not counted, other traffic may be)
        var after = StatusJson(world.Net.Server);
        Assert.True(Count(Session(after, "pc1"), "rx_packets") >= Count(Session(before, "pc1"), "rx_packets") + 5, after.ToString());
        Assert.True(Count(Session(after, "pc1"), "tx_packets") >= Count(Session(before, "pc1"), "tx_packets") + 5, after.ToString());
        Assert.True(Count(after, "rx_bytes") >= Count(before, "rx_bytes") + 5 * 84, after.ToString());
        var pc1After = StatusJson(world.Net.Pc1);
        Assert.True(Count(pc1After, "tx_packets") >= Count(pc1Before, "tx_packets") + 5, pc1After.ToString());
        Assert.True(Count(pc1After, "rx_packets") >= Count(pc1Before, "rx_packets") + 5, pc1After.ToString());

        var table = Myvpn(world.Net.Server, "status");
        Assert.True(table.Succeeded, table.ToString());
        Assert.Contains("pc1  ", table.Output);
        Assert.Contains("pc2  ", table.Output);
        Assert.Contains("interface: tun0 (server", table.Output);

        var socket = SocketOf(world.Net.Server);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.True(File.Exists(SocketOf(world.Net.Pc1)));
        Assert.Equal(0, await server.Terminate(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, await pc1.Terminate(TimeSpan.FromSeconds(20)));
        Assert.False(File.Exists(socket));
        Assert.False(File.Exists(SocketOf(world.Net.Pc1)));
        var gone = Myvpn(world.Net.Server, "status");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("myvpn status: no MyVpn daemon on tun0 in this network namespace", gone.Error);
    }
}
