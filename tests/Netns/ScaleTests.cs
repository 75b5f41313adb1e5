using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Twenty-five client namespaces against one server, all on the test WAN's bridge, with the shared key
/// and names of their own: every client pings two others through the server.
/// </summary>
public sealed partial class ScaleTests
{
    private const int Clients = 25;

    [Fact]
    public async Task Twenty_five_clients_each_ping_two_others_through_the_server()
    {
        var world = VpnWorld.Create();
        var prefix = world.Net.Wan[..^"-wan".Length];
        var extra = new List<string>();
        try
        {
            // pc1 and pc2 come with the topology; pc3 … pc25 join the same bridge at 192.0.2.4 … .26
            for (var i = 3; i <= Clients; i++)
            {
                var ns = $"{prefix}-pc{i}";
                Namespaces.Add(ns);
                extra.Add(ns);
                Shell.Check("ip", "-n", world.Net.Wan, "link", "add", $"pc{i}", "type", "veth", "peer", "name", "eth0", "netns", ns);
                Shell.Check("ip", "-n", world.Net.Wan, "link", "set", $"pc{i}", "master", "br0", "up");
                Shell.Check("ip", "-n", ns, "addr", "add", $"192.0.2.{i + 1}/24", "dev", "eth0");
                Shell.Check("ip", "-n", ns, "link", "set", "eth0", "up");
            }
            string[] namespaces = [world.Net.Pc1, world.Net.Pc2, .. extra];

            var config = Path.Combine(world.Directory, "scale.toml");
            File.WriteAllText(config, """
                # Written by the netns scale test: any name with the shared key gets in.
                keepalive = 2
                key_file = "psk.key"
                """);
            await world.StartServer(["--config", config]);

            // all at once: the handshakes overlap, as many machines coming up together
            await Task.WhenAll(namespaces.Select((ns, i) =>
                world.StartClient(ns, $"c{i + 1}", "--key-file", world.KeyOf("psk"), "--name", $"c{i + 1}")));

            var addresses = namespaces.Select(VpnAddressOf).ToArray();
            Assert.Equal(Clients, addresses.Distinct().Count());

            // each client pings the next two (wrapping round), all pairs at once
            var pairs = Enumerable.Range(0, Clients)
                .SelectMany(i => (int[])[(i + 1) % Clients, (i + 2) % Clients], (from, to) => (From: from, To: to))
                .ToArray();
            var answered = await Task.WhenAll(pairs.Select(p => Task.Run(() =>
                Eventually.Holds(() => Topology.Ping(namespaces[p.From], addresses[p.To], count: 3), TimeSpan.FromSeconds(20)))));

            var unanswered = pairs.Where((_, i) => !answered[i]).Select(p => $"c{p.From + 1} -> c{p.To + 1} ({addresses[p.To]})").ToList();
            Assert.True(unanswered.Count == 0, $"unanswered: {string.Join(", ", unanswered)}\n{world.Logs()}");
        }
        finally
        {
            try
            {
                world.Dispose(); // stops every daemon first (they undo their changes), then the topology's namespaces
            }
            finally
            {
                foreach (var ns in extra)
                    Namespaces.Delete(ns);
            }
        }
    }

    /// <summary>The IPv4 address the session gave the client's tun0.</summary>
    private static string VpnAddressOf(string ns)
    {
        var shown = Shell.Check("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "tun0");
        var match = Inet().Match(shown);
        Assert.True(match.Success, $"{ns}: no address on tun0: {shown}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"inet (\d+\.\d+\.\d+\.\d+)/")]
    private static partial Regex Inet();
}
