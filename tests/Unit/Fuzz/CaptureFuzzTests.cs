using CsCheck;
using MyVpn.Captures;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using PacketDotNet;
using Xunit;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// Property tests over the capture tools: pcap files (the committed captures and generated ones, random
/// and mutated) read by <see cref="CaptureReader"/>, then inspected and decrypted; key logs; runs of
/// coalesced datagrams. Either it works or a one-line <see cref="CaptureException"/> says why; nothing
/// else escapes, and nothing that fails authentication is ever written out.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class CaptureFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-fuzz-pcap-").FullName;
    private int _files;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Repository(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException("MyVpn.sln not found");
    }

    private static readonly byte[] C2S = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] S2C = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
    private const uint GeneratedSession = 0x55667788;

    /// <summary>A handshake on TCP 9525 and a few data packets each way (one a keepalive), as the daemon would send them.</summary>
    private static List<WireDatagram> GeneratedTraffic()
    {
        var client = new NetEndpoint(IPv4Address.Parse("192.0.2.10"), 51000);
        var handshakePort = new NetEndpoint(IPv4Address.Parse("192.0.2.1"), WireFormat.DefaultHandshakePort);
        var sessionPort = new NetEndpoint(IPv4Address.Parse("192.0.2.1"), 40000);
        var t = Transcript.All[0];
        var traffic = new List<WireDatagram>
        {
            new(client, handshakePort, t.ClientHello, Tcp: true),
            new(handshakePort, client, t.ServerHello, Tcp: true),
            new(client, handshakePort, t.ClientAuth, Tcp: true),
            new(handshakePort, client, t.ServerAccept, Tcp: true),
        };
        using var clientSession = new SessionSealer(GeneratedSession, C2S);
        using var serverSession = new SessionSealer(GeneratedSession, S2C);
        for (var i = 0; i < 4; i++)
        {
            traffic.Add(new(client, sessionPort, Seal(clientSession, Packets.IPv4("10.0.0.2", "10.0.0.1", [.. Packets.Pattern, (byte)i]))));
            traffic.Add(new(sessionPort, client, Seal(serverSession, i == 3 ? [] : Packets.IPv4("10.0.0.1", "10.0.0.2", [(byte)i]))));
        }
        return traffic;
    }

    private static byte[] Seal(SessionSealer session, byte[] packet)
    {
        var buffer = new byte[packet.Length + WireFormat.Overhead];
        packet.CopyTo(buffer, WireFormat.IvLength);
        session.TrySeal(buffer, packet.Length, out var length);
        return buffer[..length];
    }

    private static readonly Lazy<byte[][]> Corpus = new(() =>
    {
        var files = new List<byte[]>
        {
            File.ReadAllBytes(Repository("captures/handshakes-and-pings.pcap")),
            File.ReadAllBytes(Repository("captures/ping-pc1-pc2.pcap")),
        };
        var dir = Directory.CreateTempSubdirectory("myvpn-fuzz-corpus-").FullName;
        try
        {
            foreach (var link in new[] { LinkLayers.Ethernet, LinkLayers.RawLegacy })
            {
                var path = Path.Combine(dir, $"{link}.pcap");
                PcapFiles.Write(path, GeneratedTraffic(), link);
                files.Add(File.ReadAllBytes(path));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return [.. files];
    });

    private static readonly Lazy<Dictionary<uint, List<SessionKeys>>> Keys = new(() =>
    {
        var keys = KeyLog.Read(Repository("captures/handshakes-and-pings.keys.log"));
        keys[GeneratedSession] = [new SessionKeys(GeneratedSession, C2S, S2C)];
        return keys;
    });

    /// <summary>The committed ping capture, whose keys are not committed.</summary>
    private const int PingCapture = 1;

    private static readonly Gen<(int File, byte[]? Random, Mutation[] Mutations)> PcapCases =
        Gen.Select(Gen.Int[0, 3], FuzzGen.RandomBytesOrNull(300), FuzzGen.Mutation.Array[0, 6]);

    [Fact]
    public void Any_pcap_file_is_read_inspected_and_decrypted_or_refused_with_one_line()
    {
        Fuzz.Check(PcapCases, c =>
        {
            var original = Corpus.Value[c.File];
            var bytes = c.Random ?? Mutation.ApplyAll(original, c.Mutations, Corpus.Value);
            var n = Interlocked.Increment(ref _files);
            var input = Path.Combine(_dir, $"case-{n}.pcap");
            var output = Path.Combine(_dir, $"case-{n}.inner.pcap");
            File.WriteAllBytes(input, bytes);
            try
            {
                List<CapturedPacket> packets;
                try
                {
                    packets = [.. CaptureReader.Read(input)];
                }
                catch (CaptureException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    Assert.DoesNotContain('\n', e.Message);
                    Assert.False(bytes.AsSpan().SequenceEqual(original), $"a valid capture was refused: {e.Message}");
                    return;
                }
                var options = new CaptureOptions();
                var report = CaptureInspector.Inspect(packets, options);
                _ = report.ToString();
                var counts = CaptureDecryptor.Decrypt(packets, Keys.Value, options, output);

                // Every packet written out authenticated under a logged key, so it is one the daemon sealed: an IPv4 packet.
                var inner = PcapFiles.ReadRaw(output);
                Assert.Equal(counts.Decrypted, inner.Count);
                Assert.All(inner, p => Assert.Equal(4, p[0] >> 4));
                if (bytes.AsSpan().SequenceEqual(original))
                    Assert.NotEmpty(report.Sessions);
                if (bytes.AsSpan().SequenceEqual(original) && c.File != PingCapture)
                {
                    Assert.True(counts.Decrypted > 0 && counts.AuthenticationFailures == 0, $"the valid capture decrypted as {counts}");
                }
            }
            finally
            {
                File.Delete(input);
                File.Delete(output);
            }
        });
    }

    private static readonly Gen<string> KeyLogLines = Gen.Frequency(
        (1, Gen.String[0, 200]),
        (3, Gen.Select(Gen.UInt, Gen.Byte.Array[32], Gen.Byte.Array[32], FuzzGen.Mutation.Array[0, 3],
            (id, c2s, s2c, mutations) => System.Text.Encoding.Latin1.GetString(Mutation.ApplyAll(
                System.Text.Encoding.ASCII.GetBytes(KeyLog.Format(new SessionKeys(id, c2s, s2c))), mutations, [])))));

    [Fact]
    public void Any_key_log_line_parses_to_keys_that_format_back_or_is_refused()
    {
        Fuzz.Check(KeyLogLines, line =>
        {
            if (!KeyLog.TryParse(line, out var keys))
                return;
            Assert.Equal(WireFormat.KeyLength, keys.ClientToServer.Length);
            Assert.Equal(WireFormat.KeyLength, keys.ServerToClient.Length);
            Assert.True(KeyLog.TryParse(KeyLog.Format(keys), out var again));
            Assert.Equal(keys.SessionId, again.SessionId);
            Assert.Equal(keys.ClientToServer, again.ClientToServer);
            Assert.Equal(keys.ServerToClient, again.ServerToClient);
        });
    }

    [Fact]
    public void Any_key_log_file_is_read_or_refused_with_one_line()
    {
        Fuzz.Check(KeyLogLines.Array[0, 6], lines =>
        {
            var path = Path.Combine(_dir, $"keys-{Interlocked.Increment(ref _files)}.log");
            File.WriteAllLines(path, [KeyLog.Header, .. lines]);
            try
            {
                var keys = KeyLog.Read(path);
                Assert.All(keys, entry => Assert.All(entry.Value, k => Assert.Equal(entry.Key, k.SessionId)));
            }
            catch (CaptureException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        });
    }

    private static readonly Gen<byte[]> Payloads = Gen.Frequency(
        (1, Gen.Byte.Array[0, 400]),
        (2, Gen.Select(Gen.Int[1, 6], Gen.Int[0, 60], Gen.UInt, Gen.ULong[0, 1000], FuzzGen.Mutation.Array[0, 3], (count, size, id, start, mutations) =>
        {
            // A run of `count` headers of one session every `size + 32` bytes, the last piece shorter, then edits.
            var segment = size + WireFormat.Overhead;
            var run = new byte[segment * count - size / 2];
            for (var i = 0; i < count; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(run.AsSpan(i * segment), id);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(run.AsSpan(i * segment + 4), start + (ulong)i);
            }
            return Mutation.ApplyAll(run, mutations, []);
        })));

    [Fact]
    public void CoalescedRuns_finds_a_segment_size_only_where_every_piece_is_a_header_of_the_same_session()
    {
        Fuzz.Check(Payloads, payload =>
        {
            var size = CoalescedRuns.SegmentSize(payload);
            if (size == 0)
                return;
            Assert.InRange(size, WireFormat.Overhead, payload.Length - WireFormat.Overhead);
            var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload);
            for (var offset = 0; offset < payload.Length; offset += size)
            {
                var piece = payload.AsSpan(offset, Math.Min(size, payload.Length - offset));
                Assert.True(piece.Length >= WireFormat.Overhead);
                Assert.Equal(id, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(piece));
                Assert.True(SessionOpener.TryReadHeader(piece, out _, out _));
            }
        });
    }
}
