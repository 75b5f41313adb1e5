using MyVpn.Metrics;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Engines;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Metrics;

/// <summary>The meter's instruments report what the engines counted: engines driven over the channel network, read with a collector.</summary>
public sealed class VpnMeterTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    /// <summary>Delivers one event at a time, the clock moving <see cref="Step"/> after each, so a handshake takes time.</summary>
    private static void PumpSlowly(EngineWorld world)
    {
        while (world.Network.Pump(1) > 0)
            world.Time.Advance(Step);
    }

    [Fact]
    public void Server_meter_reports_sessions_handshakes_by_result_and_drops_by_reason()
    {
        using var world = new EngineWorld("pc1", "pc2");
        using var meter = VpnMeter.ForServer(world.Server);
        using var collector = new MetricsCollector(meter.Meter);
        var before = new MeterReading(collector.Collect());

        world.Connect("pc1");
        world.Connect("pc2", keyFill: 99);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        world.SendFrom("pc1", Packets.IPv4("10.0.0.77", "8.8.8.8")); // not pc1's address: a counted drop
        var after = new MeterReading(collector.Collect());

        Assert.Equal(0, before.Value("myvpn_sessions"));
        Assert.Equal(0, before.Value("myvpn_handshakes_total", "result", "ok"));
        Assert.Equal(1, after.Value("myvpn_sessions"));
        Assert.Equal(1, after.Value("myvpn_handshakes_total", "result", "ok"));
        Assert.Equal(1, after.Value("myvpn_handshakes_total", "result", nameof(HandshakeError.WrongKey)));
        Assert.Equal(0, after.Value("myvpn_handshakes_total", "result", nameof(HandshakeRefusal.TooManyFromSource)));
        Assert.Equal(world.Server.HandshakeFailures[HandshakeError.WrongKey], after.Value("myvpn_handshakes_total", "result", "WrongKey"));
        Assert.Equal(1, after.Value("myvpn_drops_total", "reason", nameof(DropReason.SpoofedSource)));
        Assert.Equal(world.Server.Drops.Total, after.Family("myvpn_drops_total").Points.Sum(p => p.Value));
        Assert.Equal(0, after.Value("myvpn_rekeys_total"));
        Assert.Equal(1, after.Histogram("myvpn_handshake_duration_seconds").Count);
    }

    [Fact]
    public void Packets_and_bytes_each_way_are_the_engines_traffic_on_both_sides()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        using var serverMeter = VpnMeter.ForServer(world.Server);
        using var serverCollector = new MetricsCollector(serverMeter.Meter);
        using var clientMeter = VpnMeter.ForClient(pc1);
        using var clientCollector = new MetricsCollector(clientMeter.Meter);
        var request = Packets.IPv4("10.0.0.2", "8.8.8.8", new byte[100]);
        var reply = Packets.IPv4("8.8.8.8", "10.0.0.2", new byte[300]);

        for (var i = 0; i < 3; i++)
            world.SendFrom("pc1", request);
        world.ServerTun.Inject(reply);
        world.Server.OnTunReadable();
        world.Network.Pump();
        world.Run(TimeSpan.FromSeconds(30)); // keepalives both ways: not counted

        var server = new MeterReading(serverCollector.Collect());
        var client = new MeterReading(clientCollector.Collect());
        Assert.Equal((3, 1), (server.Value("myvpn_packets_total", "direction", "in"), server.Value("myvpn_packets_total", "direction", "out")));
        Assert.Equal((3 * request.Length, reply.Length), (server.Value("myvpn_bytes_total", "direction", "in"), server.Value("myvpn_bytes_total", "direction", "out")));
        Assert.Equal((1, 3), (client.Value("myvpn_packets_total", "direction", "in"), client.Value("myvpn_packets_total", "direction", "out")));
        Assert.Equal((reply.Length, 3 * request.Length), (client.Value("myvpn_bytes_total", "direction", "in"), client.Value("myvpn_bytes_total", "direction", "out")));
        Assert.Equal(world.Server.Traffic.RxPackets, server.Value("myvpn_packets_total", "direction", "in"));
    }

    [Fact]
    public void Rekeys_count_on_both_sides_and_every_handshake_lands_in_the_duration_histogram()
    {
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = [new ClientEntry("pc1", Handshakes.Key(1))],
            RekeyInterval = TimeSpan.FromSeconds(20),
        });
        using var serverMeter = VpnMeter.ForServer(world.Server);
        using var serverCollector = new MetricsCollector(serverMeter.Meter);
        var pc1 = world.Connect("pc1");
        using var clientMeter = VpnMeter.ForClient(pc1);
        using var clientCollector = new MetricsCollector(clientMeter.Meter);

        world.Run(TimeSpan.FromSeconds(50));

        var server = new MeterReading(serverCollector.Collect());
        var client = new MeterReading(clientCollector.Collect());
        Assert.True(pc1.Handshakes >= 3, $"{pc1.Handshakes} handshakes");
        Assert.Equal(pc1.Handshakes - 1, server.Value("myvpn_rekeys_total"));
        Assert.Equal(pc1.Handshakes, server.Value("myvpn_handshakes_total", "result", "ok"));
        Assert.Equal(pc1.Handshakes - 1, client.Value("myvpn_rekeys_total"));
        Assert.Equal(pc1.Handshakes, client.Value("myvpn_handshakes_total", "result", "ok"));
        Assert.Equal(1, client.Value("myvpn_sessions"));
        // the client's meter was made after its first handshake: it saw the rekeys only
        Assert.Equal(pc1.Handshakes - 1, client.Histogram("myvpn_handshake_duration_seconds").Count);
        Assert.Equal(pc1.Handshakes, server.Histogram("myvpn_handshake_duration_seconds").Count);
    }

    [Fact]
    public void Handshake_duration_is_measured_on_the_engines_clock_server_from_accept_to_grant_client_from_connect()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        using var serverMeter = VpnMeter.ForServer(world.Server);
        using var serverCollector = new MetricsCollector(serverMeter.Meter);
        using var clientMeter = VpnMeter.ForClient(pc1);
        using var clientCollector = new MetricsCollector(clientMeter.Meter);

        pc1.Rehandshake();
        PumpSlowly(world);

        var server = new MeterReading(serverCollector.Collect()).Histogram("myvpn_handshake_duration_seconds");
        var client = new MeterReading(clientCollector.Collect()).Histogram("myvpn_handshake_duration_seconds");
        Assert.Equal((1, 1), (server.Count, client.Count));
        Assert.True(server.Sum >= 2 * Step.TotalSeconds, $"server {server.Sum} s");
        // the client's clock starts before the connection reaches the server, the server's at accepting it
        Assert.True(client.Sum > server.Sum, $"client {client.Sum} s, server {server.Sum} s");
        Assert.Equal(VpnMeter.DurationBuckets, server.Bounds);
        var bucket = VpnMeter.DurationBuckets.ToList().FindIndex(b => server.Sum <= b);
        Assert.Equal(1, server.Counts[bucket]);
    }

    [Fact]
    public void Client_meter_counts_a_refused_handshake_by_reason_and_no_session()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1", keyFill: 99);
        using var meter = VpnMeter.ForClient(pc1);
        using var collector = new MetricsCollector(meter.Meter);

        var reading = new MeterReading(collector.Collect());

        Assert.Equal(0, reading.Value("myvpn_sessions"));
        Assert.Equal(0, reading.Value("myvpn_handshakes_total", "result", "ok"));
        Assert.Equal(1, reading.Value("myvpn_handshakes_total", "result", nameof(HandshakeError.AuthenticationRejected)));
        Assert.Equal(0, reading.Histogram("myvpn_handshake_duration_seconds").Count);
    }

    [Fact]
    public void Disposed_meter_stops_recording_durations_and_detaches_from_the_engine()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        var meter = VpnMeter.ForServer(world.Server);
        using var collector = new MetricsCollector(meter.Meter);
        meter.Dispose();

        pc1.Rehandshake();
        world.Network.Pump();

        Assert.Empty(collector.Collect());
        Assert.Equal(2, world.Server.HandshakeCounts.Succeeded);
    }
}
