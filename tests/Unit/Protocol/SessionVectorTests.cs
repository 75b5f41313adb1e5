using System.Buffers.Binary;
using MyVpn.Crypto;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The data packet of docs/protocol.md §5 held to its pinned vector, and every way a datagram can be wrong:
/// on the single-threaded pieces of the core, <see cref="SessionSealer"/> and <see cref="SessionOpener"/>,
/// once with each crypto provider (<see cref="WithOpenSsl"/>, <see cref="WithDotNet"/>).
/// </summary>
public abstract class SessionVectorTests(ICryptoProvider crypto)
{
    public sealed class WithOpenSsl() : SessionVectorTests(CryptoProviders.OpenSsl);

    public sealed class WithDotNet() : SessionVectorTests(CryptoProviders.DotNet);

    private ICryptoProvider Crypto { get; } = crypto;

    private static readonly int FirstLength = DataVector.Plaintext.Length + WireFormat.Overhead;

    private DropReason OpenFails(byte[] datagram)
    {
        using var server = DataVector.ServerOpener(Crypto);
        Assert.False(server.TryOpen(datagram, out _, out var reason));
        return reason;
    }

    private byte[] FlipBit(int position, int bit)
    {
        var datagram = DataVector.FirstDatagram(Crypto);
        datagram[position] ^= (byte)(1 << bit);
        return datagram;
    }

    public static TheoryData<int> Positions(int from, int to)
    {
        var data = new TheoryData<int>();
        for (var p = from; p < to; p++) data.Add(p);
        return data;
    }

    public static TheoryData<int> SessionIdBytes => Positions(0, 4);
    public static TheoryData<int> CounterBytes => Positions(4, 12);
    public static TheoryData<int> ReservedBytes => Positions(12, 16);
    public static TheoryData<int> CiphertextBytes => Positions(16, 16 + DataVector.Plaintext.Length);
    public static TheoryData<int> TagBytes => Positions(16 + DataVector.Plaintext.Length, FirstLength);
    public static TheoryData<int> ShortLengths => Positions(0, WireFormat.Overhead);
    public static TheoryData<int> CutLengths => Positions(WireFormat.Overhead, FirstLength);

    [Fact]
    public void First_packet_seals_to_the_pinned_vector_bytes()
    {
        Assert.Equal(DataVector.FirstDatagramHex, Convert.ToHexStringLower(DataVector.FirstDatagram(Crypto)));
    }

    [Fact]
    public void Second_packet_as_a_keepalive_seals_to_the_pinned_vector_bytes()
    {
        using var client = DataVector.ClientSealer(Crypto);
        DataVector.Seal(client, DataVector.Plaintext);
        Assert.Equal(DataVector.KeepaliveDatagramHex, Convert.ToHexStringLower(DataVector.Seal(client, [])));
    }

    [Fact]
    public void Pinned_vector_datagram_opens_in_place_to_the_vector_plaintext()
    {
        using var server = DataVector.ServerOpener(Crypto);
        var datagram = Convert.FromHexString(DataVector.FirstDatagramHex);
        Assert.True(server.TryOpen(datagram, out var length, out _));
        Assert.Equal(DataVector.Plaintext, datagram.AsSpan(WireFormat.IvLength, length).ToArray());
    }

    [Fact]
    public void Iv_is_session_id_then_counter_then_four_zero_bytes()
    {
        using var client = DataVector.ClientSealer(Crypto);
        DataVector.Seal(client, [1, 2, 3]);
        DataVector.Seal(client, [1, 2, 3]);
        var third = DataVector.Seal(client, [1, 2, 3]);
        Assert.Equal(DataVector.SessionId, BinaryPrimitives.ReadUInt32BigEndian(third));
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64BigEndian(third.AsSpan(4)));
        Assert.Equal(0U, BinaryPrimitives.ReadUInt32BigEndian(third.AsSpan(12)));
        Assert.Equal(3UL, client.NextCounter);
    }

    [Theory]
    [MemberData(nameof(SessionIdBytes))]
    public void Flipped_bit_in_the_session_id_is_dropped_as_WrongSession(int position)
    {
        for (var bit = 0; bit < 8; bit++)
            Assert.Equal(DropReason.WrongSession, OpenFails(FlipBit(position, bit)));
    }

    [Theory]
    [MemberData(nameof(CounterBytes))]
    public void Flipped_bit_in_the_counter_fails_authentication_or_is_past_the_counter_limit(int position)
    {
        for (var bit = 0; bit < 8; bit++)
        {
            var datagram = FlipBit(position, bit);
            var counter = BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(4));
            var expected = counter >= WireFormat.MaxCounter ? DropReason.Replayed : DropReason.AuthenticationFailed;
            Assert.Equal(expected, OpenFails(datagram));
        }
    }

    [Theory]
    [MemberData(nameof(ReservedBytes))]
    public void Flipped_bit_in_the_reserved_iv_bytes_is_dropped_as_WrongSession(int position)
    {
        for (var bit = 0; bit < 8; bit++)
            Assert.Equal(DropReason.WrongSession, OpenFails(FlipBit(position, bit)));
    }

    [Theory]
    [MemberData(nameof(CiphertextBytes))]
    public void Flipped_bit_in_the_ciphertext_fails_authentication(int position)
    {
        for (var bit = 0; bit < 8; bit++)
            Assert.Equal(DropReason.AuthenticationFailed, OpenFails(FlipBit(position, bit)));
    }

    [Theory]
    [MemberData(nameof(TagBytes))]
    public void Flipped_bit_in_the_tag_fails_authentication(int position)
    {
        for (var bit = 0; bit < 8; bit++)
            Assert.Equal(DropReason.AuthenticationFailed, OpenFails(FlipBit(position, bit)));
    }

    [Fact]
    public void Forged_datagrams_leave_the_replay_window_untouched()
    {
        using var server = DataVector.ServerOpener(Crypto);
        for (var position = 0; position < FirstLength; position++)
            Assert.False(server.TryOpen(FlipBit(position, 0), out _, out _));
        Assert.True(server.TryOpen(DataVector.FirstDatagram(Crypto), out var length, out _));
        Assert.Equal(DataVector.Plaintext.Length, length);
    }

    [Theory]
    [MemberData(nameof(ShortLengths))]
    public void Datagram_shorter_than_iv_and_tag_is_dropped_as_DatagramTooShort(int length)
    {
        Assert.Equal(DropReason.DatagramTooShort, OpenFails(DataVector.FirstDatagram(Crypto)[..length]));
    }

    [Theory]
    [MemberData(nameof(CutLengths))]
    public void Datagram_cut_short_after_the_iv_fails_authentication(int length)
    {
        Assert.Equal(DropReason.AuthenticationFailed, OpenFails(DataVector.FirstDatagram(Crypto)[..length]));
    }

    [Fact]
    public void Datagram_longer_than_the_largest_inner_packet_is_dropped_as_DatagramTooLong()
    {
        using var client = DataVector.ClientSealer(Crypto);
        var datagram = DataVector.Seal(client, new byte[WireFormat.MaxInnerPacket + 1]);
        Assert.Equal(DropReason.DatagramTooLong, OpenFails(datagram));
    }

    [Fact]
    public void Largest_inner_packet_round_trips()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var server = DataVector.ServerOpener(Crypto);
        var inner = new byte[WireFormat.MaxInnerPacket];
        new TestRandom(7).Fill(inner);
        var datagram = DataVector.Seal(client, inner);
        Assert.Equal(65507, datagram.Length);
        Assert.True(server.TryOpen(datagram, out var length, out _));
        Assert.Equal(inner, datagram.AsSpan(WireFormat.IvLength, length).ToArray());
    }

    [Fact]
    public void Replayed_datagram_is_dropped_as_Replayed()
    {
        using var server = DataVector.ServerOpener(Crypto);
        var datagram = DataVector.FirstDatagram(Crypto);
        Assert.True(server.TryOpen(datagram.ToArray(), out _, out _));
        Assert.False(server.TryOpen(datagram, out _, out var reason));
        Assert.Equal(DropReason.Replayed, reason);
    }

    [Fact]
    public void Keepalive_round_trips_as_an_empty_packet()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var server = DataVector.ServerOpener(Crypto);
        var keepalive = DataVector.Seal(client, []);
        Assert.Equal(WireFormat.Overhead, keepalive.Length);
        Assert.True(server.TryOpen(keepalive, out var length, out _));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Datagram_of_another_session_is_dropped_as_WrongSession()
    {
        using var other = new SessionSealer(DataVector.SessionId + 1, DataVector.ClientToServerKey, Crypto);
        Assert.Equal(DropReason.WrongSession, OpenFails(DataVector.Seal(other, DataVector.Plaintext)));
    }

    [Fact]
    public void Datagram_sealed_under_another_key_fails_authentication()
    {
        using var wrongKey = new SessionSealer(DataVector.SessionId, DataVector.ServerToClientKey, Crypto);
        Assert.Equal(DropReason.AuthenticationFailed, OpenFails(DataVector.Seal(wrongKey, DataVector.Plaintext)));
    }

    [Fact]
    public void Own_sealed_datagram_reflected_back_fails_authentication()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var clientOpener = DataVector.ClientOpener(Crypto);
        var datagram = DataVector.Seal(client, DataVector.Plaintext);
        Assert.False(clientOpener.TryOpen(datagram, out _, out var reason));
        Assert.Equal(DropReason.AuthenticationFailed, reason);
    }

    [Fact]
    public void Last_counter_below_the_limit_seals_and_opens()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var server = DataVector.ServerOpener(Crypto);
        DataVector.NextCounterOf(client) = WireFormat.MaxCounter - 1;
        var datagram = DataVector.Seal(client, DataVector.Plaintext);
        Assert.Equal(WireFormat.MaxCounter - 1, BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(4)));
        Assert.True(server.TryOpen(datagram, out _, out _));
    }

    [Fact]
    public void Sealing_refuses_once_the_counter_reaches_the_limit()
    {
        using var client = DataVector.ClientSealer(Crypto);
        DataVector.NextCounterOf(client) = WireFormat.MaxCounter;
        var buffer = new byte[64];
        Assert.False(client.TrySeal(buffer, 8, out var length));
        Assert.Equal(0, length);
        Assert.Equal(new byte[64], buffer);
    }

    [Fact]
    public void Datagram_carrying_a_counter_at_the_limit_is_dropped_before_decryption()
    {
        var datagram = DataVector.FirstDatagram(Crypto);
        BinaryPrimitives.WriteUInt64BigEndian(datagram.AsSpan(4), WireFormat.MaxCounter);
        Assert.Equal(DropReason.Replayed, OpenFails(datagram));
    }

    [Fact]
    public void Keys_that_are_not_32_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SessionSealer(1, new byte[16], Crypto));
        Assert.Throws<ArgumentException>(() => new SessionSealer(1, new byte[33], Crypto));
        Assert.Throws<ArgumentException>(() => new SessionOpener(1, new byte[31], Crypto));
        Assert.Throws<ArgumentException>(() => new SessionOpener(1, [], Crypto));
    }

    [Theory]
    [InlineData(-1, 64)]
    [InlineData(33, 64)] // 33 + 32 bytes of IV and tag do not fit in 64
    public void A_plaintext_length_that_does_not_fit_is_an_exception_and_spends_no_counter(int plaintextLength, int datagramLength)
    {
        using var client = DataVector.ClientSealer(Crypto);
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => client.TrySeal(new byte[datagramLength], plaintextLength, out _));
        Assert.Equal(0UL, client.NextCounter);
        Assert.True(client.TrySeal(new byte[datagramLength], datagramLength - WireFormat.Overhead, out var sealedLength));
        Assert.Equal(datagramLength, sealedLength);
        Assert.Equal(1UL, client.NextCounter);
    }

    [Fact]
    public void A_disposed_sealer_refuses_to_seal_without_throwing_and_spends_no_counter()
    {
        var client = DataVector.ClientSealer(Crypto);
        DataVector.Seal(client, DataVector.Plaintext);
        client.Dispose();
        client.Dispose(); // twice is harmless

        Assert.True(client.IsClosed);
        var buffer = new byte[64];
        Assert.False(client.TrySeal(buffer, 8, out var length));
        Assert.Equal(0, length);
        Assert.Equal(new byte[64], buffer);
        Assert.Equal(1UL, client.NextCounter);
    }

    [Fact]
    public void A_disposed_opener_drops_every_datagram_as_SessionClosed()
    {
        var server = DataVector.ServerOpener(Crypto);
        server.Dispose();

        Assert.True(server.IsClosed);
        Assert.False(server.TryOpen(DataVector.FirstDatagram(Crypto), out var length, out var reason));
        Assert.Equal(DropReason.SessionClosed, reason);
        Assert.Equal(0, length);
        Assert.False(server.TryOpen(new byte[3], out _, out reason)); // closed is checked before the shape
        Assert.Equal(DropReason.SessionClosed, reason);
    }

    [Fact]
    public void Opening_reports_advanced_only_for_a_counter_above_all_opened_and_tracks_the_highest()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var server = DataVector.ServerOpener(Crypto);
        var datagrams = Enumerable.Range(0, 4).Select(_ => DataVector.Seal(client, DataVector.Plaintext)).ToArray();
        Assert.Equal(0UL, server.HighestOpened);

        Assert.True(server.TryOpen(datagrams[0], out _, out _, out var advanced));
        Assert.True(advanced); // the first authentic datagram under a fresh key
        Assert.Equal(0UL, server.HighestOpened);
        Assert.True(server.TryOpen(datagrams[2], out _, out _, out advanced));
        Assert.True(advanced);
        Assert.Equal(2UL, server.HighestOpened);
        Assert.True(server.TryOpen(datagrams[1], out _, out _, out advanced)); // late, in the window: opens, moves nothing
        Assert.False(advanced);
        Assert.Equal(2UL, server.HighestOpened);
        Assert.False(server.TryOpen(datagrams[1], out _, out var reason, out advanced));
        Assert.Equal(DropReason.Replayed, reason);
        Assert.False(advanced);
        Assert.True(server.TryOpen(datagrams[3], out _, out _, out advanced));
        Assert.True(advanced);
        Assert.Equal(3UL, server.HighestOpened);
    }

    [Fact]
    public void A_forged_datagram_with_a_higher_counter_neither_advances_nor_moves_the_highest()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var server = DataVector.ServerOpener(Crypto);
        Assert.True(server.TryOpen(DataVector.Seal(client, DataVector.Plaintext), out _, out _));
        var forged = DataVector.Seal(client, DataVector.Plaintext);
        BinaryPrimitives.WriteUInt64BigEndian(forged.AsSpan(4), 1000);

        Assert.False(server.TryOpen(forged, out _, out var reason, out var advanced));
        Assert.Equal(DropReason.AuthenticationFailed, reason);
        Assert.False(advanced);
        Assert.Equal(0UL, server.HighestOpened);
    }

    [Fact]
    public void Sealing_and_opening_allocate_nothing_per_packet()
    {
        using var client = DataVector.ClientSealer(Crypto);
        using var server = DataVector.ServerOpener(Crypto);
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
