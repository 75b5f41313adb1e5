using System.Net.Sockets;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The Prometheus endpoint of real daemons: server and pc1 started with <c>--metrics-listen 127.0.0.1:9586</c>
/// in their namespaces, scraped from inside them before and after pings through the tunnel; the counters
/// move, and the loopback endpoint is not reachable from another host.
/// </summary>
public sealed class MetricsTests
{
    private const string PacketsIn = "myvpn_packets_total{direction=\"in\"}";
    private const string PacketsOut = "myvpn_packets_total{direction=\"out\"}";
    private const string BytesIn = "myvpn_bytes_total{direction=\"in\"}";
    private const string HandshakesOk = "myvpn_handshakes_total{result=\"ok\"}";
    private const int Pings = 5;

    [Fact]
    public async Task Scrapes_of_server_and_client_show_the_session_handshake_and_traffic_of_pings()
    {
        using var world = VpnWorld.Create();
        await world.StartServer(["--config", world.ServerConfig, "--metrics-listen", MetricsScrape.Listen]);
        var before = MetricsScrape.Get(world.Net.Server);
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"),
            "--metrics-listen", MetricsScrape.Listen);
        var clientBefore = MetricsScrape.Get(world.Net.Pc1);

        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", Pings), $"pings through the tunnel failed\n{world.Logs()}");

        var after = MetricsScrape.Get(world.Net.Server);
        var client = MetricsScrape.Get(world.Net.Pc1);
        Assert.Equal(0, before["myvpn_sessions"]);
        Assert.Equal(1, after["myvpn_sessions"]);
        Assert.True(after[HandshakesOk] >= 1, $"{after[HandshakesOk]} handshakes ok");
        Assert.True(after["myvpn_handshake_duration_seconds_count"] >= 1);
        Assert.Equal(after["myvpn_handshake_duration_seconds_count"], after["myvpn_handshake_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.True(after[PacketsIn] >= before[PacketsIn] + Pings, $"server packets in: {before[PacketsIn]} -> {after[PacketsIn]}");
        Assert.True(after[PacketsOut] >= before[PacketsOut] + Pings, $"server packets out: {before[PacketsOut]} -> {after[PacketsOut]}");
        Assert.True(after[BytesIn] >= before[BytesIn] + Pings * 84, $"server bytes in: {before[BytesIn]} -> {after[BytesIn]}");

        Assert.Equal(1, client["myvpn_sessions"]);
        Assert.True(client[HandshakesOk] >= 1);
        Assert.True(client[PacketsOut] >= clientBefore[PacketsOut] + Pings, $"client packets out: {clientBefore[PacketsOut]} -> {client[PacketsOut]}");
        Assert.True(client[PacketsIn] >= clientBefore[PacketsIn] + Pings, $"client packets in: {clientBefore[PacketsIn]} -> {client[PacketsIn]}");
        Assert.Contains("metrics: Prometheus text on http://127.0.0.1:9586/metrics", pc1.Output);

        // on loopback, the endpoint is the server host's alone
        var fromOutside = Assert.Throws<InvalidOperationException>(() => MetricsScrape.Response(world.Net.Pc1, $"{Topology.ServerWan}:9586"));
        Assert.IsType<SocketException>(fromOutside.InnerException);
    }
}
