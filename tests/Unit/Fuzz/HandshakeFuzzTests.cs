using System.Text;
using CsCheck;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// Property tests over the handshake: <see cref="HandshakeReader"/>, <see cref="ClientHandshake"/> and
/// <see cref="ServerHandshake"/> fed random bytes and recorded valid exchanges with bytes flipped,
/// inserted, deleted, truncated, spliced and duplicated, delivered in pieces cut at random points.
/// No exception escapes; only the untouched exchange authenticates; a failed step leaves no grant and
/// no authenticated name.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class HandshakeFuzzTests
{
    // ---- HandshakeReader ----

    private static readonly Gen<byte[]> FrameStream = Gen.Frequency(
        (1, Gen.Byte.Array[0, 600]),
        (3, Gen.Select(Gen.Int[0, Transcript.All.Count * 4 + 6].Array[1, 4], FuzzGen.Mutations,
            (picks, mutations) => Mutation.ApplyAll(
                [.. picks.SelectMany(p => Transcript.Frames[p % Transcript.Frames.Count])], mutations, Transcript.Frames))));

    [Fact]
    public void HandshakeReader_cuts_any_stream_into_the_same_checked_frames_however_it_arrives()
    {
        Fuzz.Check(Gen.Select(FrameStream, FuzzGen.Cuts), (input, cuts) =>
        {
            var whole = ReadAll([input]);
            var pieces = ReadAll(FuzzGen.Split(input, cuts));

            Assert.Equal(whole.Error, pieces.Error);
            Assert.Equal(whole.Partial, pieces.Partial);
            Assert.Equal(whole.Frames.Count, pieces.Frames.Count);
            for (var i = 0; i < whole.Frames.Count; i++)
                Assert.Equal(whole.Frames[i], pieces.Frames[i]);

            // The frames are the input's first bytes, in order, each with a header its type allows.
            var consumed = whole.Frames.SelectMany(f => f).ToArray();
            Assert.Equal(input.AsSpan(0, consumed.Length).ToArray(), consumed);
            foreach (var frame in whole.Frames)
            {
                Assert.True(HandshakeMessage.TryGetBodyLimits(frame[0], out var min, out var max));
                Assert.Equal(WireFormat.Version, frame[1]);
                var length = (frame[2] << 8) | frame[3];
                Assert.Equal(HandshakeMessage.HeaderLength + length, frame.Length);
                Assert.InRange(length, min, max);
            }
            if (whole.Error == HandshakeError.None)
                Assert.Equal(consumed.Length < input.Length, whole.Partial);
        });
    }

    private static (List<byte[]> Frames, HandshakeError Error, bool Partial) ReadAll(IEnumerable<byte[]> pieces)
    {
        var reader = new HandshakeReader();
        var frames = new List<byte[]>();
        foreach (var piece in pieces)
        {
            ReadOnlySpan<byte> rest = piece;
            while (!rest.IsEmpty)
            {
                if (reader.TryRead(ref rest, out var type, out var frame, out var error))
                {
                    Assert.Equal((byte)type, frame[0]);
                    frames.Add(frame.ToArray());
                }
                else if (error != HandshakeError.None)
                    return (frames, error, reader.HasPartialFrame);
                else
                    Assert.True(rest.IsEmpty, "the reader asked for more bytes without taking all it was given");
            }
        }
        return (frames, HandshakeError.None, reader.HasPartialFrame);
    }

    // ---- the client: what a server (or anyone on the path) sends it ----

    private static readonly Gen<(Transcript Transcript, int Ending, byte[]? Random, Mutation[] Mutations, int[] Cuts)> ClientCases =
        Gen.Select(Gen.Int[0, Transcript.All.Count - 1].Select(i => Transcript.All[i]),
            Gen.Int[0, Enum.GetValues<RejectCode>().Length], FuzzGen.RandomBytesOrNull(400), FuzzGen.Mutations, FuzzGen.Cuts);

    /// <summary>ServerHello then ServerAccept (ending 0), or ServerHello then a Reject with one of the codes.</summary>
    private static byte[] ServerStream(Transcript t, int ending) => ending == 0
        ? t.ServerToClient
        : [.. t.ServerHello, .. ServerHandshake.RejectFrame(Enum.GetValues<RejectCode>()[ending - 1])];

    [Fact]
    public void Client_fed_random_or_mutated_server_bytes_is_established_only_by_the_untouched_exchange()
    {
        Fuzz.Check(ClientCases, c =>
        {
            var original = ServerStream(c.Transcript, c.Ending);
            var input = c.Random ?? Mutation.ApplyAll(original, c.Mutations, Transcript.Frames);
            using var client = c.Transcript.NewClient();
            Assert.Equal(c.Transcript.ClientHello, client.Start());

            var pieces = FuzzGen.Split(input, c.Cuts);
            HandshakeStep? end = null;
            var fed = 0;
            var consumed = new List<byte>();
            foreach (var piece in pieces)
            {
                fed++;
                consumed.AddRange(piece);
                var step = client.OnData(piece);
                if (step.Reply is not null)
                    Assert.Equal(c.Transcript.ClientAuth.Length, step.Reply.Length);
                if (step.Status != HandshakeStatus.InProgress)
                {
                    end = step;
                    break;
                }
            }
            var rest = pieces.Skip(fed).SelectMany(p => p).ToArray();

            if (c.Ending == 0 && input.AsSpan().SequenceEqual(original))
                Assert.Equal(HandshakeStatus.Established, end?.Status); // sanity: the valid exchange, however cut, works
            switch (end?.Status)
            {
                case HandshakeStatus.Established:
                    Assert.Equal(original, consumed.ToArray());
                    Assert.Equal(c.Transcript.Grant, client.Grant);
                    client.CreateSession(PureChannel.Create).Dispose();
                    if (rest.Length > 0)
                        Assert.Equal(HandshakeStatus.Failed, client.OnData(rest).Status);
                    break;
                case HandshakeStatus.Failed:
                    Assert.NotEqual(HandshakeError.None, end.Value.Error);
                    AssertNoGrant(client);
                    Assert.Equal(HandshakeStatus.Failed, client.OnData(rest.Length > 0 ? rest : c.Transcript.ServerAccept).Status);
                    AssertNoGrant(client);
                    if (c.Ending != 0 && input.AsSpan().SequenceEqual(original))
                        Assert.Equal(Enum.GetValues<RejectCode>()[c.Ending - 1], client.RejectCode);
                    break;
                default:
                    AssertNoGrant(client);
                    Assert.Contains(client.OnClosed(), new[] { HandshakeError.Truncated, HandshakeError.ConnectionClosed });
                    break;
            }
        });
    }

    private static void AssertNoGrant(ClientHandshake client)
    {
        Assert.Null(client.Grant);
        Assert.Throws<InvalidOperationException>(() => client.CreateSession(PureChannel.Create));
    }

    // ---- the server: what a client (or anyone) sends it ----

    private static readonly Gen<(Transcript Transcript, byte[]? Random, Mutation[] Mutations, int[] Cuts)> ServerCases =
        Gen.Select(Gen.Int[0, Transcript.All.Count - 1].Select(i => Transcript.All[i]),
            FuzzGen.RandomBytesOrNull(400), FuzzGen.Mutations, FuzzGen.Cuts);

    [Fact]
    public void Server_fed_random_or_mutated_client_bytes_authenticates_only_the_untouched_exchange()
    {
        Fuzz.Check(ServerCases, c =>
        {
            var original = c.Transcript.ClientToServer;
            var input = c.Random ?? Mutation.ApplyAll(original, c.Mutations, Transcript.Frames);
            using var server = c.Transcript.NewServer();

            var pieces = FuzzGen.Split(input, c.Cuts);
            HandshakeStep? end = null;
            var fed = 0;
            var consumed = new List<byte>();
            foreach (var piece in pieces)
            {
                fed++;
                consumed.AddRange(piece);
                var step = server.OnData(piece);
                if (step.Reply is not null)
                    Assert.Equal(HandshakeMessageType.ServerHello, (HandshakeMessageType)step.Reply[0]);
                if (step.Status != HandshakeStatus.InProgress)
                {
                    end = step;
                    break;
                }
                Assert.Null(server.ClientName);
            }
            var rest = pieces.Skip(fed).SelectMany(p => p).ToArray();

            if (input.AsSpan().SequenceEqual(original))
                Assert.Equal(HandshakeStatus.Authenticated, end?.Status); // sanity: the valid exchange, however cut, works
            switch (end?.Status)
            {
                case HandshakeStatus.Authenticated when rest.Length == 0:
                    Assert.Equal(original, consumed.ToArray());
                    Assert.Equal("pc1", server.ClientName);
                    Assert.Equal(default(IPv4Address), server.RequestedAddress);
                    var (accept, session) = server.Accept(c.Transcript.Grant, PureChannel.Create);
                    session.Dispose();
                    Assert.Equal(HandshakeMessageType.ServerAccept, (HandshakeMessageType)accept[0]);
                    break;
                case HandshakeStatus.Authenticated:
                    // More bytes after the last message: the server must forget who the client proved to be.
                    Assert.Equal(original, consumed.ToArray());
                    Assert.Equal(HandshakeStatus.Failed, server.OnData(rest).Status);
                    AssertNotAuthenticated(server);
                    break;
                case HandshakeStatus.Failed:
                    Assert.NotEqual(HandshakeError.None, end.Value.Error);
                    _ = ServerHandshake.RejectCodeFor(end.Value.Error);
                    AssertNotAuthenticated(server);
                    Assert.Equal(HandshakeStatus.Failed, server.OnData(rest.Length > 0 ? rest : c.Transcript.ClientAuth).Status);
                    AssertNotAuthenticated(server);
                    break;
                default:
                    AssertNotAuthenticated(server);
                    Assert.Contains(server.OnClosed(), new[] { HandshakeError.Truncated, HandshakeError.ConnectionClosed });
                    break;
            }
        });
    }

    private static void AssertNotAuthenticated(ServerHandshake server)
    {
        Assert.Null(server.ClientName);
        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create));
    }

    // ---- the server: a ClientAuth that decrypts but whose identity fields are anything ----

    private sealed class Crafter
    {
        public readonly byte[] ClientHello;
        public readonly byte[] ServerHello;
        public readonly byte[] SharedSecret;
        public const int ServerSeed = 77;

        public Crafter()
        {
            using var ephemeral = EphemeralKey.Generate(new TestRandom(7));
            ClientHello = HandshakeMessage.Frame(HandshakeMessageType.ClientHello,
                [.. ephemeral.PublicKey, .. new byte[HandshakeMessage.NonceLength]]);
            using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(ServerSeed));
            ServerHello = server.OnData(ClientHello).Reply!;
            if (!ephemeral.TryAgree(ServerHello.AsSpan(HandshakeMessage.HeaderLength, HandshakeMessage.PublicKeyLength), out SharedSecret))
                throw new InvalidOperationException("the server's key is not a P-256 point");
        }

        /// <summary>A ClientAuth frame around <paramref name="plaintext"/>, sealed under k_id as a real client would.</summary>
        public byte[] ClientAuth(byte[] plaintext)
        {
            var schedule = new KeySchedule(SharedSecret, ClientHello, ServerHello);
            return HandshakeMessage.Frame(HandshakeMessageType.ClientAuth,
                KeySchedule.Seal(schedule.IdentityKey(), plaintext, schedule.Transcript));
        }

        /// <summary>The proof a client with <paramref name="psk"/> gives for these identity fields.</summary>
        public byte[] Proof(byte[] identity, byte[] psk)
        {
            var schedule = new KeySchedule(SharedSecret, ClientHello, ServerHello);
            schedule.AddIdentity(identity);
            return schedule.ClientProof(psk);
        }
    }

    private static readonly Lazy<Crafter> Crafted = new(() => new Crafter());

    private static readonly Gen<byte[]> Names = Gen.Frequency(
        (2, Gen.OneOf<string>("pc1", "pc2", "pc3", "p\u00e9", "\u001b[2Jpc1\n").Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, HandshakeMessage.MaxNameLength]));

    /// <summary>Identity fields (length byte, name field, address), a proof (right, for pc1's or pc2's key, or wrong), any plaintext length.</summary>
    private static readonly Gen<(byte[] Plaintext, bool WellFormed, string? Name, bool RightProof)> Identities =
        Gen.Select(Names, Gen.Frequency((4, Gen.Const(-1)), (1, Gen.Int[0, 255])), Gen.Frequency((4, Gen.Const((byte)0)), (1, Gen.Byte)),
                Gen.UInt, Gen.Int[0, 3], Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[-40, 40])))
            .Select(x =>
            {
                var (name, lengthByte, padding, address, proofKind, lengthChange) = x;
                var nameLength = lengthByte < 0 ? (byte)name.Length : (byte)lengthByte;
                var identity = new byte[HandshakeMessage.IdentityLength];
                identity[0] = nameLength;
                identity.AsSpan(1, HandshakeMessage.MaxNameLength).Fill(padding);
                name.CopyTo(identity, 1);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(identity.AsSpan(1 + HandshakeMessage.MaxNameLength), address);
                var proof = proofKind switch
                {
                    0 => Crafted.Value.Proof(identity, Handshakes.Key(1)),
                    1 => Crafted.Value.Proof(identity, Handshakes.Key(2)),
                    _ => Enumerable.Repeat((byte)(0xA0 + proofKind), HandshakeMessage.ProofLength).ToArray(),
                };
                byte[] plaintext = [.. identity, .. proof];
                plaintext = lengthChange >= 0
                    ? [.. plaintext, .. new byte[lengthChange]]
                    : plaintext[..(plaintext.Length + lengthChange)];
                var field = identity.AsSpan(1, HandshakeMessage.MaxNameLength);
                string? decoded = null;
                var wellFormed = lengthChange == 0 && nameLength is > 0 and <= HandshakeMessage.MaxNameLength
                    && !field[nameLength..].ContainsAnyExcept((byte)0)
                    && TryDecodeUtf8(field[..nameLength], out decoded);
                var rightProof = (proofKind == 0 && decoded == "pc1") || (proofKind == 1 && decoded == "pc2");
                return (plaintext, wellFormed, decoded, rightProof);
            });

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string? text)
    {
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
    }

    [Fact]
    public void Server_fed_a_well_sealed_ClientAuth_with_any_identity_authenticates_only_a_known_name_with_its_proof()
    {
        Fuzz.Check(Identities, c =>
        {
            var crafted = Crafted.Value;
            using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(Crafter.ServerSeed));
            Assert.Equal(crafted.ServerHello, server.OnData(crafted.ClientHello).Reply);

            var step = server.OnData(crafted.ClientAuth(c.Plaintext));

            if (c.WellFormed && c.RightProof)
            {
                Assert.Equal(HandshakeStatus.Authenticated, step.Status);
                Assert.Equal(c.Name, server.ClientName);
                Assert.Equal(IPv4Address.Read(c.Plaintext.AsSpan(1 + HandshakeMessage.MaxNameLength)), server.RequestedAddress);
            }
            else
            {
                Assert.Equal(HandshakeStatus.Failed, step.Status);
                Assert.NotEqual(HandshakeError.None, step.Error);
                AssertNotAuthenticated(server);
            }
        });
    }
}
