using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;
using static MyVpn.Tests.Unit.Engines.ServerHandshakeErrorTests;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// The handshake port under attack, on virtual time: the global cap, the per-source limits (in flight
/// and rate), the short deadline for the first message, the crypto done outside the control lock and
/// bounded, and the warnings limited to one line per reason per interval.
/// </summary>
public sealed class HandshakeLimitTests
{
    private static readonly List<ClientEntry> Pc1 = [new("pc1", Handshakes.Key(1))];
    private static readonly byte[] Busy = ServerHandshake.RejectFrame(RejectCode.Busy);

    /// <summary>Opens a connection from <paramref name="from"/>; true when the server kept it open (admitted).</summary>
    private static bool Admitted(EngineWorld world, string from, out RawStream raw)
    {
        raw = Open(world, from);
        return !raw.Closed;
    }

    private static bool OpenAndClose(EngineWorld world, string from)
    {
        var admitted = Admitted(world, from, out var raw);
        raw.Connection!.Close();
        world.Network.Pump();
        return admitted;
    }

    [Fact]
    public void Global_cap_refuses_a_connection_beyond_it_with_Busy_whatever_its_source()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = Pc1, MaxPendingHandshakes = 8 });
        var open = Enumerable.Range(0, 8).Select(i => Open(world, $"192.0.2.{100 + i}")).ToList();

        var extra = Open(world, "192.0.2.200");

        Assert.True(extra.Closed);
        Assert.Equal(Busy, extra.Received.ToArray());
        Assert.All(open, r => Assert.False(r.Closed));
        Assert.Equal(1, world.Server.HandshakeRefusals[HandshakeRefusal.TooManyInFlight]);
        world.Run(TimeSpan.FromSeconds(3)); // the silent ones miss their first-message deadline
        Assert.All(open, r => Assert.True(r.Closed));
        AssertStillServing(world);
    }

    [Fact]
    public void One_source_gets_a_few_handshakes_in_flight_and_others_are_not_affected()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = Pc1, MaxHandshakesPerSource = 4, HandshakeBurstPerSource = 10 });
        var mine = Enumerable.Range(0, 4).Select(_ => Open(world, "192.0.2.66")).ToList();
        Assert.All(mine, r => Assert.False(r.Closed));

        var fifth = Open(world, "192.0.2.66");
        Assert.True(fifth.Closed);
        Assert.Equal(Busy, fifth.Received.ToArray());
        Assert.Equal(1, world.Server.HandshakeRefusals[HandshakeRefusal.TooManyFromSource]);
        Assert.True(Admitted(world, "192.0.2.67", out _));
        AssertStillServing(world);

        mine[0].Connection!.Close(); // one of the four ends: a slot for this source again
        world.Network.Pump();
        Assert.True(Admitted(world, "192.0.2.66", out _));
        Assert.False(Admitted(world, "192.0.2.66", out _));
        Assert.Equal(2, world.Server.HandshakeRefusals[HandshakeRefusal.TooManyFromSource]);
    }

    [Fact]
    public void One_source_starts_handshakes_at_most_at_its_rate_after_a_small_burst()
    {
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = Pc1, MaxHandshakesPerSource = 100, HandshakeRatePerSource = 10, HandshakeBurstPerSource = 5,
        });

        for (var i = 0; i < 5; i++)
            Assert.True(OpenAndClose(world, "192.0.2.66"), $"burst connection {i}");
        Assert.False(OpenAndClose(world, "192.0.2.66"));
        Assert.Equal(1, world.Server.HandshakeRefusals[HandshakeRefusal.SourceRateExceeded]);
        Assert.True(OpenAndClose(world, "192.0.2.67")); // another source has its own bucket

        world.Time.Advance(TimeSpan.FromMilliseconds(100)); // one token back
        Assert.True(OpenAndClose(world, "192.0.2.66"));
        Assert.False(OpenAndClose(world, "192.0.2.66"));

        // a sustained attempt every 10 ms for 10 s gets 10 per second, not 100
        var admitted = 0;
        for (var i = 0; i < 1000; i++)
        {
            world.Time.Advance(TimeSpan.FromMilliseconds(10));
            admitted += OpenAndClose(world, "192.0.2.66") ? 1 : 0;
        }
        Assert.InRange(admitted, 99, 101);

        world.Time.Advance(TimeSpan.FromSeconds(1)); // a full bucket again, no more
        for (var i = 0; i < 5; i++)
            Assert.True(OpenAndClose(world, "192.0.2.66"));
        Assert.False(OpenAndClose(world, "192.0.2.66"));
        AssertStillServing(world);
    }

    [Fact]
    public void The_first_message_has_a_short_deadline_and_the_rest_of_the_handshake_the_whole_one()
    {
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = Pc1, FirstMessageTimeout = TimeSpan.FromSeconds(2), HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        var silent = Open(world, "192.0.2.66");
        var talker = Open(world, "192.0.2.67");
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(9));
        world.Time.Advance(TimeSpan.FromSeconds(1.5));
        talker.Connection!.Send(client.Start());
        world.Network.Pump();
        Assert.Equal((byte)HandshakeMessageType.ServerHello, talker.Received[0]);

        world.Run(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(100)); // 1.9 s
        Assert.False(silent.Closed);
        world.Run(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100)); // 2.1 s
        Assert.True(silent.Closed);
        Assert.Equal(ServerHandshake.RejectFrame(RejectCode.Timeout), silent.Received.ToArray());
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.Timeout]);

        world.Run(TimeSpan.FromSeconds(7.8), TimeSpan.FromMilliseconds(100)); // 9.9 s after the talker connected
        Assert.False(talker.Closed);
        world.Run(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100));
        Assert.True(talker.Closed);
        Assert.Equal(2, world.Server.HandshakeFailures[HandshakeError.Timeout]);
    }

    [Fact]
    public void A_keepalive_goes_out_while_a_handshake_s_crypto_is_blocked()
    {
        var random = new GatedRandom(1000);
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = Pc1, KeepaliveInterval = TimeSpan.FromSeconds(2), FirstMessageTimeout = TimeSpan.FromSeconds(10),
        }, random);
        var pc1 = world.Connect("pc1");
        Assert.True(pc1.IsConnected);
        var session = world.Server.Sessions.Single();
        int KeepalivesSent() => world.Network.Wire.Count(d => d.From.Port == session.Port && !d.Tcp);
        var before = KeepalivesSent();

        var stranger = new RecordingConnection("192.0.2.66");
        var handler = world.Server.Accept(stranger);
        using var hello = new CraftedClient(7);
        random.Arm();
        var crypto = new Thread(() => handler.OnData(hello.ClientHello)) { IsBackground = true };
        var tick = new Thread(() => world.Time.Advance(TimeSpan.FromSeconds(2))) { IsBackground = true };
        try
        {
            crypto.Start();
            Assert.True(random.Entered.Wait(TimeSpan.FromSeconds(30)), "the handshake never reached its key generation");
            tick.Start();
            // the tick takes the control lock: it must not wait for the handshake holding its crypto
            Assert.True(tick.Join(TimeSpan.FromSeconds(30)), "the keepalive tick waited for a handshake's crypto");
            Assert.True(KeepalivesSent() > before);
            Assert.Empty(stranger.Sent);
        }
        finally
        {
            random.Release();
            crypto.Join(TimeSpan.FromSeconds(30));
            tick.Join(TimeSpan.FromSeconds(30));
        }
        Assert.Equal((byte)HandshakeMessageType.ServerHello, stranger.Sent.Single()[0]);
    }

    [Fact]
    public void Handshake_crypto_runs_at_most_N_at_once_and_a_message_beyond_that_is_refused_as_busy()
    {
        var random = new GatedRandom(1000);
        using var world = new EngineWorld(new VpnServerOptions { Clients = Pc1, MaxConcurrentHandshakeCrypto = 1 }, random);
        var first = new RecordingConnection("192.0.2.66");
        var firstHandler = world.Server.Accept(first);
        var second = new RecordingConnection("192.0.2.67");
        var secondHandler = world.Server.Accept(second);
        using var hello1 = new CraftedClient(7);
        using var hello2 = new CraftedClient(8);
        random.Arm();
        var crypto = new Thread(() => firstHandler.OnData(hello1.ClientHello)) { IsBackground = true };
        try
        {
            crypto.Start();
            Assert.True(random.Entered.Wait(TimeSpan.FromSeconds(30)), "the handshake never reached its key generation");

            secondHandler.OnData(hello2.ClientHello); // on this thread, while the first computes

            Assert.Equal([Busy], second.Sent);
            Assert.True(second.Closed);
            Assert.Equal(1, world.Server.HandshakeRefusals[HandshakeRefusal.CryptoBusy]);
        }
        finally
        {
            random.Release();
            crypto.Join(TimeSpan.FromSeconds(30));
        }
        Assert.Equal((byte)HandshakeMessageType.ServerHello, first.Sent.Single()[0]);
        Assert.False(first.Closed);
        AssertStillServing(world); // the slot is free again
    }

    [Fact]
    public void Warnings_are_one_line_per_reason_per_interval_with_the_count_left_out()
    {
        var log = new ListLogger<VpnServer>();
        using var world = new EngineWorld(new VpnServerOptions { Clients = Pc1, WarningInterval = TimeSpan.FromSeconds(10) },
            serverLogger: log);

        for (var i = 0; i < 50; i++) // 50 sources, each sending garbage: 50 failures of one reason
        {
            var raw = Open(world, $"192.0.2.{100 + i}");
            raw.Connection!.Send("GET / HTTP/1.1\r\n\r\n"u8);
            world.Network.Pump();
        }
        for (var i = 0; i < 30; i++) // one source, 4 admitted and 26 refused
            Open(world, "192.0.2.66");

        Assert.Equal(50, world.Server.HandshakeFailures[HandshakeError.UnknownMessageType]);
        Assert.Equal(26, world.Server.HandshakeRefusals[HandshakeRefusal.TooManyFromSource]);
        Assert.Single(log.Warnings, l => l.StartsWith("handshake failed", StringComparison.Ordinal));
        Assert.Single(log.Warnings, l => l.StartsWith("handshake refused", StringComparison.Ordinal));

        world.Run(TimeSpan.FromSeconds(10)); // the four admitted time out: a new reason, one line
        var late = Open(world, "192.0.2.250");
        late.Connection!.Send("GET / HTTP/1.1\r\n\r\n"u8);
        world.Network.Pump();
        Open(world, "192.0.2.66");
        for (var i = 0; i < 4; i++)
            Open(world, "192.0.2.66");

        var failed = log.Warnings.Where(l => l.StartsWith("handshake failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, failed.Count); // garbage, timeout, garbage again with the count
        Assert.Contains("UnknownMessageType", failed[2]);
        Assert.Contains("; 49 more with this error not logged", failed[2]);
        Assert.Contains("Timeout", failed[1]);
        var refused = log.Warnings.Where(l => l.StartsWith("handshake refused", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains("; 25 more refused for this reason not logged", refused[1]);
        Assert.Equal(5, log.Warnings.Count());
    }

    /// <summary>A server-side connection driven by hand from any thread: records what the server sends.</summary>
    private sealed class RecordingConnection(string from) : IStreamConnection
    {
        private readonly List<byte[]> _sent = [];
        private volatile bool _closed;

        public NetEndpoint RemoteEndpoint { get; } = new(IPv4Address.Parse(from), 40000);
        public bool Closed => _closed;

        public List<byte[]> Sent
        {
            get
            {
                lock (_sent)
                    return [.. _sent];
            }
        }

        public void Send(ReadOnlySpan<byte> data)
        {
            lock (_sent)
                _sent.Add(data.ToArray());
        }

        public void Close() => _closed = true;
    }
}
