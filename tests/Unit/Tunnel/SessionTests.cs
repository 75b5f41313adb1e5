using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// The thread-safe <see cref="Session"/> on one thread: it is the core's sealer and opener behind locks,
/// so it seals the same bytes, drops for the same reasons, and reports the counters they keep.
/// </summary>
public sealed class SessionTests
{
    [Fact]
    public void Seals_the_pinned_vector_and_opens_it_as_the_single_threaded_pieces_do()
    {
        using var client = DataVector.ClientSession();
        using var server = DataVector.ServerSession();
        var first = DataVector.Seal(client, DataVector.Plaintext);
        Assert.Equal(DataVector.FirstDatagramHex, Convert.ToHexStringLower(first));
        Assert.Equal(DataVector.KeepaliveDatagramHex, Convert.ToHexStringLower(DataVector.Seal(client, [])));

        Assert.True(server.TryOpen(first, out var length, out _));
        Assert.Equal(DataVector.Plaintext, first.AsSpan(WireFormat.IvLength, length).ToArray());
    }

    [Fact]
    public void Drops_with_the_reasons_of_the_opener()
    {
        using var server = DataVector.ServerSession();
        var datagram = DataVector.FirstDatagram();
        Assert.True(server.TryOpen(datagram.ToArray(), out _, out _));

        Assert.False(server.TryOpen(datagram, out _, out var reason));
        Assert.Equal(DropReason.Replayed, reason);
        Assert.False(server.TryOpen(new byte[WireFormat.Overhead - 1], out _, out reason));
        Assert.Equal(DropReason.DatagramTooShort, reason);
        var tampered = DataVector.FirstDatagram();
        tampered[^1] ^= 1;
        using var fresh = DataVector.ServerSession();
        Assert.False(fresh.TryOpen(tampered, out _, out reason));
        Assert.Equal(DropReason.AuthenticationFailed, reason);
        Assert.True(fresh.TryOpen(DataVector.FirstDatagram(), out _, out _)); // the forgery marked nothing
    }

    [Fact]
    public void NextCounter_and_HighestOpened_are_the_directions_counters()
    {
        using var client = DataVector.ClientSession();
        using var server = DataVector.ServerSession();
        Assert.Equal(0UL, client.NextCounter);
        Assert.Equal(0UL, server.HighestOpened);
        var datagrams = Enumerable.Range(0, 3).Select(_ => DataVector.Seal(client, DataVector.Plaintext)).ToArray();
        Assert.Equal(3UL, client.NextCounter);

        Assert.True(server.TryOpen(datagrams[2], out _, out _, out var advanced));
        Assert.True(advanced);
        Assert.Equal(2UL, server.HighestOpened);
        Assert.True(server.TryOpen(datagrams[0], out _, out _, out advanced));
        Assert.False(advanced);
        Assert.Equal(2UL, server.HighestOpened);
    }

    [Fact]
    public void Sealing_refuses_at_the_counter_limit_and_says_it_is_not_closed()
    {
        using var client = DataVector.ClientSession();
        DataVector.NextCounterOf(client) = WireFormat.MaxCounter;
        Assert.False(client.TrySeal(new byte[64], 8, out _));
        Assert.False(client.IsClosed); // so the engines count CounterExhausted, not SessionClosed
        Assert.Equal(WireFormat.MaxCounter, client.NextCounter);
    }

    [Fact]
    public void Keys_that_are_not_32_bytes_are_refused_by_the_crypto_provider()
    {
        var seal = Assert.Throws<ArgumentException>(() => new Session(1, new byte[16], new byte[32]));
        var open = Assert.Throws<ArgumentException>(() => new Session(1, new byte[32], new byte[31]));

        Assert.StartsWith("AES-256-GCM takes a 32-byte key", seal.Message);
        Assert.StartsWith("AES-256-GCM takes a 32-byte key", open.Message);
    }

    [Fact]
    public void Create_makes_sessions_from_a_handshake_that_talk_to_each_other_both_ways()
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(1));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        var (accept, acceptedSession) = server.Accept(Handshakes.Grant, Session.Create);
        using var serverSession = acceptedSession;
        Assert.Equal(HandshakeStatus.Established, client.OnData(accept).Status);
        using var clientSession = client.CreateSession(Session.Create);

        Assert.Equal(Handshakes.Grant.SessionId, clientSession.Id);
        Assert.Equal(Handshakes.Grant.SessionId, serverSession.Id);
        var up = DataVector.Seal(clientSession, "up"u8);
        Assert.True(serverSession.TryOpen(up, out var length, out _));
        Assert.Equal("up"u8.ToArray(), up.AsSpan(WireFormat.IvLength, length).ToArray());
        var down = DataVector.Seal(serverSession, "down"u8);
        Assert.True(clientSession.TryOpen(down, out length, out _));
        Assert.Equal("down"u8.ToArray(), down.AsSpan(WireFormat.IvLength, length).ToArray());
    }

    [Fact]
    public void Sealing_and_opening_through_the_locks_allocate_nothing_per_packet()
    {
        using var client = DataVector.ClientSession();
        using var server = DataVector.ServerSession();
        var datagram = new byte[1420 + WireFormat.Overhead];
        Assert.True(client.TrySeal(datagram, 1420, out _)); // warm up (JIT, OpenSSL's lazy init)
        Assert.True(server.TryOpen(datagram, out _, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(client.TrySeal(datagram, 1420, out _));
            Assert.True(server.TryOpen(datagram, out _, out _, out _));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
