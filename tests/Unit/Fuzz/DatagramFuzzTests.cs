using System.Buffers.Binary;
using CsCheck;
using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// Property tests over the data channel and the grant: <see cref="SessionOpener.TryOpen(Span{byte}, out int, out DropReason)"/> and
/// <see cref="SessionOpener.TryReadHeader"/> fed random and mutated sealed datagrams, <see cref="GrantEncoding"/>
/// fed random and mutated grants. No exception escapes, nothing forged opens, and a refused datagram leaves
/// the replay window as it was.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class DatagramFuzzTests
{
    private const uint SessionId = 0x0A0B0C0D;
    private static readonly byte[] ClientToServer = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] ServerToClient = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    private static byte[] Seal(SessionSealer sealer, byte[] plaintext)
    {
        var buffer = new byte[plaintext.Length + WireFormat.Overhead];
        plaintext.CopyTo(buffer, WireFormat.IvLength);
        Assert.True(sealer.TrySeal(buffer, plaintext.Length, out var length));
        return buffer[..length];
    }

    private static bool Open(SessionOpener opener, byte[] datagram, out byte[] plaintext, out DropReason reason)
    {
        var buffer = (byte[])datagram.Clone();
        var opened = opener.TryOpen(buffer, out var length, out reason);
        plaintext = opened ? buffer.AsSpan(WireFormat.IvLength, length).ToArray() : [];
        return opened;
    }

    /// <summary>
    /// Packets sealed by the client's session, which of them the server opened before the attack, and the
    /// attack: random bytes, a mutated sealed datagram, or one sealed under the wrong key or session id.
    /// </summary>
    private static readonly Gen<(byte[][] Plaintexts, bool[] OpenedBefore, int Attack, byte[]? Random, int Target, Mutation[] Mutations)> Cases =
        Gen.Int[1, 8].SelectMany(n => Gen.Select(
            Gen.Byte.Array[0, 80].Array[n], Gen.Bool.Array[n], Gen.Int[0, 3], Gen.Byte.Array[0, 120].Select(b => (byte[]?)b),
            Gen.Int[0, n - 1], FuzzGen.Mutation.Array[1, 4]));

    [Fact]
    public void Session_opens_only_authentic_unseen_datagrams_and_a_refused_one_leaves_the_replay_window_as_it_was()
    {
        Fuzz.Check(Cases, c =>
        {
            using var client = new SessionSealer(SessionId, ClientToServer);
            using var server = new SessionOpener(SessionId, ClientToServer);
            var sealedDatagrams = c.Plaintexts.Select(p => Seal(client, p)).ToArray();
            var opened = new bool[sealedDatagrams.Length];
            for (var i = 0; i < sealedDatagrams.Length; i++)
            {
                if (!c.OpenedBefore[i])
                    continue;
                Assert.True(Open(server, sealedDatagrams[i], out var plaintext, out _));
                Assert.Equal(c.Plaintexts[i], plaintext);
                opened[i] = true;
            }

            var attack = c.Attack switch
            {
                0 => c.Random!,
                1 => Mutation.ApplyAll(sealedDatagrams[c.Target], c.Mutations, sealedDatagrams),
                2 => WithKey(SessionId, ServerToClient, c.Plaintexts[c.Target]), // the wrong direction's key
                _ => WithKey(SessionId ^ 1, ClientToServer, c.Plaintexts[c.Target]),
            };
            var match = Array.FindIndex(sealedDatagrams, d => d.AsSpan().SequenceEqual(attack));
            if (Open(server, attack, out var attackPlaintext, out var reason))
            {
                Assert.True(match >= 0 && !opened[match], "a datagram that was not sealed by the peer, or was seen before, opened");
                Assert.Equal(c.Plaintexts[match], attackPlaintext);
                opened[match] = true;
            }
            else
            {
                Assert.True(match < 0 || opened[match], $"an authentic unseen datagram was refused ({reason})");
                Assert.True(Enum.IsDefined(reason));
            }

            // Afterwards every datagram seen is refused as a replay and every other one still opens.
            for (var i = 0; i < sealedDatagrams.Length; i++)
            {
                var ok = Open(server, sealedDatagrams[i], out var plaintext, out var after);
                if (opened[i])
                {
                    Assert.False(ok);
                    Assert.Equal(DropReason.Replayed, after);
                }
                else
                {
                    Assert.True(ok, $"datagram {i} no longer opens ({after})");
                    Assert.Equal(c.Plaintexts[i], plaintext);
                }
            }
        });
    }

    private static byte[] WithKey(uint id, byte[] sealKey, byte[] plaintext)
    {
        using var other = new SessionSealer(id, sealKey);
        return Seal(other, plaintext);
    }

    [Fact]
    public void TryReadHeader_accepts_exactly_the_documented_shape_and_reads_the_counter()
    {
        var lengths = Gen.Frequency((4, Gen.Int[0, 100]), (1, Gen.Int[WireFormat.MaxInnerPacket, WireFormat.MaxInnerPacket + 2 * WireFormat.Overhead]));
        var cases = Gen.Select(lengths, Gen.Byte.Array[16], Gen.Bool, (length, header, zeroReserved) =>
        {
            var datagram = new byte[length];
            header.AsSpan(0, Math.Min(16, length)).CopyTo(datagram);
            if (zeroReserved && length >= 16)
                datagram.AsSpan(12, 4).Clear();
            return datagram;
        });
        Fuzz.Check(cases, datagram =>
        {
            var ok = SessionOpener.TryReadHeader(datagram, out var counter, out var reason);

            var shaped = datagram.Length is >= WireFormat.Overhead and <= WireFormat.MaxInnerPacket + WireFormat.Overhead
                && BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(12)) == 0;
            Assert.Equal(shaped, ok);
            if (ok)
                Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(4)), counter);
            else
                Assert.True(Enum.IsDefined(reason));
        });
    }

    // ---- GrantEncoding ----

    private static readonly Gen<SessionGrant> ValidGrants =
        Gen.Select(Gen.UInt, Gen.Int[8, 30], Gen.UInt, Gen.UInt, Gen.UInt, Gen.UShort[1, ushort.MaxValue], Gen.Int[576, 9000], Gen.UShort[1, ushort.MaxValue],
            (id, prefix, network, a, b, port, mtu, keepalive) =>
            {
                var hosts = (1u << (32 - prefix)) - 2;
                var subnet = new IPv4Subnet(new IPv4Address(network), prefix);
                var client = subnet.Network.Value + 1 + a % hosts;
                var server = subnet.Network.Value + 1 + (a % hosts + 1 + b % (hosts - 1)) % hosts;
                return new SessionGrant(id, new IPv4Address(client), prefix, new IPv4Address(server), port, mtu, TimeSpan.FromSeconds(keepalive));
            });

    [Fact]
    public void GrantEncoding_decodes_what_it_encodes()
    {
        Fuzz.Check(Gen.Select(ValidGrants, Gen.Byte.Array[32], Gen.Byte.Array[32]), (grant, c2s, s2c) =>
        {
            Assert.True(GrantEncoding.TryDecode(GrantEncoding.Encode(grant, c2s, s2c), out var decoded, out var c2sOut, out var s2cOut));
            Assert.Equal(grant, decoded);
            Assert.Equal(c2s, c2sOut);
            Assert.Equal(s2c, s2cOut);
        });
    }

    private static readonly Gen<byte[]> GrantInputs = Gen.Frequency(
        (1, Gen.Byte.Array[0, HandshakeMessage.GrantLength + 8]),
        (1, Gen.Byte.Array[HandshakeMessage.GrantLength]),
        (3, Gen.Select(ValidGrants, FuzzGen.Mutation.Array[1, 3],
            (grant, mutations) => Mutation.ApplyAll(GrantEncoding.Encode(grant, new byte[32], new byte[32]), mutations, []))));

    [Fact]
    public void GrantEncoding_accepts_only_sane_grants_and_decodes_them_canonically()
    {
        Fuzz.Check(GrantInputs, bytes =>
        {
            if (!GrantEncoding.TryDecode(bytes, out var grant, out var c2s, out var s2c))
            {
                Assert.Empty(c2s);
                Assert.Empty(s2c);
                return;
            }
            var again = GrantEncoding.Encode(grant, c2s, s2c);
            if (bytes.Length > HandshakeMessage.GrantLength && bytes[HandshakeMessage.GrantLength] == GrantExtension.SectionsVersion)
            {
                // a version 2 extension's sections of unknown types are skipped, so it is not re-encoded byte for
                // byte; what was read must still read back the same
                Assert.True(GrantEncoding.TryDecode(again, out var reread, out _, out _));
                Assert.Equal(grant, reread);
            }
            else
            {
                Assert.Equal(bytes, again);
            }
            Assert.InRange(grant.PrefixLength, 8, 30);
            Assert.InRange(grant.Mtu, 576, 9000);
            Assert.NotEqual(0, grant.Port);
            Assert.True(grant.KeepaliveInterval > TimeSpan.Zero);
            var subnet = grant.Subnet;
            Assert.True(subnet.Contains(grant.ServerAddress));
            Assert.NotEqual(grant.ClientAddress, grant.ServerAddress);
            foreach (var host in new[] { grant.ClientAddress, grant.ServerAddress })
                Assert.True(host != subnet.Network && host != subnet.Broadcast);
        });
    }
}
