using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using MyVpn.Crypto;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The server's side of the handshake: (ClientHello) → ServerHello → (ClientAuth) → Authenticated;
/// the engine then calls <see cref="Accept"/> with the session it grants, or <see cref="RejectFrame"/>.
/// Pure: bytes in, bytes out.
/// </summary>
/// <remarks>
/// Secrets are wiped as soon as their step is done: the ECDH secret once hs is derived, k_id and the
/// decrypted identity once ClientAuth is read, k_proof and the expected proof once compared, hs when
/// the client is authenticated (k_accept is derived then, so no reference to the PSK is kept), k_accept,
/// the grant and the data keys once ServerAccept is sealed and the session made; on failure or
/// <see cref="Dispose"/>, whatever is left. An unknown name costs what a wrong key costs: the proof is
/// computed with a dummy key (random, one per process) and compared, and only then is it refused.
/// </remarks>
public sealed class ServerHandshake : IDisposable
{
    private enum State { AwaitClientHello, AwaitClientAuth, Authenticated, Done }

    /// <summary>The key an unknown name's proof is checked against: random, fixed for the life of the process.</summary>
    private static readonly byte[] ProcessUnknownClientKey = RandomNumberGenerator.GetBytes(WireFormat.KeyLength);

    private readonly Func<string, byte[]?> _keyFor;
    private readonly IRandomSource _random;
    private readonly byte[] _unknownClientKey;
    private readonly HandshakeReader _reader = new();
    private KeySchedule? _schedule;
    private byte[] _acceptKey = [];
    private byte[] _acceptTranscript = [];
    private State _state;

    /// <param name="keyFor">The pre-shared key of the client of that name, or null for a name the server does not accept.</param>
    public ServerHandshake(Func<string, byte[]?> keyFor, IRandomSource random)
        : this(keyFor, random, ProcessUnknownClientKey)
    {
    }

    /// <param name="unknownClientKey">The dummy key an unknown name's proof is computed with (tests choose it).</param>
    internal ServerHandshake(Func<string, byte[]?> keyFor, IRandomSource random, byte[] unknownClientKey)
    {
        if (unknownClientKey.Length != WireFormat.KeyLength)
            throw new ArgumentException("the dummy key is 32 bytes", nameof(unknownClientKey));
        _keyFor = keyFor;
        _random = random;
        _unknownClientKey = unknownClientKey;
    }

    /// <summary>
    /// Whose P-256 and AES-GCM the handshake uses: <see cref="CryptoProviders.Default"/> unless set at
    /// construction (tests run the vectors with each provider). The data channel's AES-GCM is the
    /// <see cref="DataChannelFactory{TChannel}"/>'s choice.
    /// </summary>
    public ICryptoProvider Crypto { get; init; } = CryptoProviders.Default;

    /// <summary>Tests set this before the first message to see every secret buffer the handshake makes.</summary>
    internal SecretTracker? Secrets { get; set; }

    /// <summary>How many client proofs were computed and compared (tests: an unknown name costs one, as a wrong key does).</summary>
    internal int ProofsChecked { get; private set; }

    /// <summary>Whether the last proof compared matched (tests: a proof made with the dummy key matches it, and is still refused).</summary>
    internal bool LastProofMatched { get; private set; }

    /// <param name="keys">Each configured client's name and pre-shared key.</param>
    public ServerHandshake(IReadOnlyDictionary<string, byte[]> keys, IRandomSource random)
        : this(name => keys.TryGetValue(name, out var key) ? key : null, random)
    {
    }

    /// <summary>Set once <see cref="HandshakeStatus.Authenticated"/>: who the client proved to be.</summary>
    public string? ClientName { get; private set; }

    /// <summary>Set once authenticated: the address the client asks for (0.0.0.0: none).</summary>
    public IPv4Address RequestedAddress { get; private set; }

    /// <summary>The client name it claimed, even if authentication then failed (for the log).</summary>
    public string? ClaimedName { get; private set; }

    public HandshakeStep OnData(ReadOnlySpan<byte> data)
    {
        byte[]? reply = null;
        while (!data.IsEmpty)
        {
            if (_state == State.Authenticated)
                return Unauthenticate(HandshakeError.UnexpectedMessage);
            if (_state == State.Done)
                return Finish(HandshakeStep.Fail(HandshakeError.UnexpectedMessage));
            if (!_reader.TryRead(ref data, out var type, out var frame, out var error))
                return error == HandshakeError.None ? new HandshakeStep(HandshakeStatus.InProgress, Reply: reply) : Finish(HandshakeStep.Fail(error));
            var step = OnFrame(type, frame);
            if (step.Status == HandshakeStatus.Failed)
                return Finish(step);
            if (step.Status == HandshakeStatus.Authenticated)
                return data.IsEmpty ? step : Unauthenticate(HandshakeError.UnexpectedMessage);
            reply = step.Reply;
        }
        return new HandshakeStep(HandshakeStatus.InProgress, Reply: reply);
    }

    /// <summary>The connection closed: a handshake not yet done fails, as truncated if a message was cut off.</summary>
    public HandshakeError OnClosed() =>
        _state is State.Done or State.Authenticated ? HandshakeError.None
        : _reader.HasPartialFrame ? HandshakeError.Truncated
        : HandshakeError.ConnectionClosed;

    /// <summary>
    /// Grants the session: draws both data keys, returns the ServerAccept frame to send and the
    /// server's data channel, made by <paramref name="create"/> (it seals with the server-to-client key;
    /// the keys are wiped when this returns). With <paramref name="keyLog"/> the data keys are also
    /// handed to it (for --keylog).
    /// </summary>
    public (byte[] Frame, TChannel Session) Accept<TChannel>(SessionGrant grant, DataChannelFactory<TChannel> create,
        Action<SessionKeys>? keyLog = null)
    {
        if (_state != State.Authenticated)
            throw new InvalidOperationException("the client is not authenticated");
        var keys = Secrets.Track("data keys", new byte[2 * WireFormat.KeyLength]);
        byte[]? plaintext = null;
        try
        {
            _random.Fill(keys);
            var clientToServer = keys.AsSpan(0, WireFormat.KeyLength);
            var serverToClient = keys.AsSpan(WireFormat.KeyLength);
            plaintext = Secrets.Track("grant", GrantEncoding.Encode(grant, clientToServer, serverToClient));
            var body = KeySchedule.Seal(_acceptKey, plaintext, _acceptTranscript, Crypto);
            var session = create(grant.SessionId, serverToClient, clientToServer);
            keyLog?.Invoke(new SessionKeys(grant.SessionId, clientToServer.ToArray(), serverToClient.ToArray()));
            return (HandshakeMessage.Frame(HandshakeMessageType.ServerAccept, body), session);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
            CryptographicOperations.ZeroMemory(plaintext); // null (Encode threw): an empty span
            _state = State.Done; // k_accept is gone: a second Accept must not seal under a wiped key
            Forget();
        }
    }

    /// <summary>A Reject message with the reason code (sent in clear, then the server closes).</summary>
    public static byte[] RejectFrame(RejectCode code) => HandshakeMessage.Frame(HandshakeMessageType.Reject, [(byte)code]);

    /// <summary>The reason code the server sends for a handshake error.</summary>
    public static RejectCode RejectCodeFor(HandshakeError error) => error switch
    {
        HandshakeError.UnsupportedVersion => RejectCode.UnsupportedVersion,
        HandshakeError.ClientAuthUndecryptable or HandshakeError.UnknownClient or HandshakeError.WrongKey => RejectCode.AuthenticationFailed,
        HandshakeError.NoAddressAvailable => RejectCode.NoAddressAvailable,
        HandshakeError.NoPortAvailable => RejectCode.NoPortAvailable,
        HandshakeError.Busy or HandshakeError.SessionLimit => RejectCode.Busy,
        HandshakeError.Timeout => RejectCode.Timeout,
        _ => RejectCode.Malformed,
    };

    private HandshakeStep OnFrame(HandshakeMessageType type, ReadOnlySpan<byte> frame)
    {
        if (_state == State.AwaitClientHello && type == HandshakeMessageType.ClientHello)
            return OnClientHello(frame);
        if (_state == State.AwaitClientAuth && type == HandshakeMessageType.ClientAuth)
            return OnClientAuth(frame);
        return HandshakeStep.Fail(HandshakeError.UnexpectedMessage);
    }

    private HandshakeStep OnClientHello(ReadOnlySpan<byte> frame)
    {
        var ephemeral = EphemeralKey.Generate(_random, Crypto.KeyAgreement, Secrets);
        bool agreed;
        byte[] shared;
        try
        {
            agreed = ephemeral.TryAgree(frame.Slice(HandshakeMessage.HeaderLength, HandshakeMessage.PublicKeyLength), out shared);
        }
        finally
        {
            ephemeral.Dispose(); // the private key's one use is done
        }
        if (!agreed)
            return HandshakeStep.Fail(HandshakeError.InvalidPublicKey);
        Secrets.Track("ecdh", shared);
        try
        {
            var body = new byte[HandshakeMessage.HelloLength];
            ephemeral.PublicKey.CopyTo(body, 0);
            _random.Fill(body.AsSpan(HandshakeMessage.PublicKeyLength));
            var serverHello = HandshakeMessage.Frame(HandshakeMessageType.ServerHello, body);
            _schedule = new KeySchedule(shared, frame, serverHello, Secrets);
            _state = State.AwaitClientAuth;
            return new HandshakeStep(HandshakeStatus.InProgress, Reply: serverHello);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private HandshakeStep OnClientAuth(ReadOnlySpan<byte> frame)
    {
        var th1 = _schedule!.Transcript.ToArray();
        var identityKey = _schedule.IdentityKey();
        var opened = KeySchedule.TryOpen(identityKey, frame[HandshakeMessage.HeaderLength..], th1, out var plaintext, Crypto);
        CryptographicOperations.ZeroMemory(identityKey);
        Secrets.Track("identity", plaintext);
        try
        {
            return opened ? OnIdentity(frame, plaintext) : HandshakeStep.Fail(HandshakeError.ClientAuthUndecryptable);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Reads the decrypted identity | proof (wiped by the caller) and checks the proof.</summary>
    private HandshakeStep OnIdentity(ReadOnlySpan<byte> frame, byte[] plaintext)
    {
        var nameLength = plaintext[0];
        var identity = plaintext.AsSpan(0, HandshakeMessage.IdentityLength);
        if (nameLength is 0 or > HandshakeMessage.MaxNameLength)
            return HandshakeStep.Fail(HandshakeError.Malformed);
        if (identity.Slice(1 + nameLength, HandshakeMessage.MaxNameLength - nameLength).ContainsAnyExcept((byte)0))
            return HandshakeStep.Fail(HandshakeError.Malformed);
        var nameBytes = identity.Slice(1, nameLength);
        if (!Utf8.IsValid(nameBytes))
            return HandshakeStep.Fail(HandshakeError.Malformed); // never read as U+FFFD: no other name is looked up
        var name = Encoding.UTF8.GetString(nameBytes);
        ClaimedName = name;

        // An unknown name takes the wrong key's path: its proof is computed with the dummy key and
        // compared in constant time; only then is it refused. Both refusals send the same Reject.
        var psk = _keyFor(name);
        _schedule!.AddIdentity(identity);
        var expected = Secrets.Track("expected proof", _schedule.ClientProof(psk ?? _unknownClientKey));
        var proofMatches = CryptographicOperations.FixedTimeEquals(expected, plaintext.AsSpan(identity.Length));
        CryptographicOperations.ZeroMemory(expected);
        ProofsChecked++;
        LastProofMatched = proofMatches;
        if (psk is null)
            return HandshakeStep.Fail(HandshakeError.UnknownClient);
        if (!proofMatches)
            return HandshakeStep.Fail(HandshakeError.WrongKey);

        _schedule.AddClientAuth(frame);
        _acceptTranscript = _schedule.Transcript.ToArray();
        _acceptKey = _schedule.AcceptKey(psk);
        _schedule.Dispose(); // hs is needed no more: k_accept is all that Accept uses
        ClientName = name;
        RequestedAddress = IPv4Address.Read(identity[(1 + HandshakeMessage.MaxNameLength)..]);
        _state = State.Authenticated;
        return new HandshakeStep(HandshakeStatus.Authenticated);
    }

    /// <summary>Fails the handshake and forgets who the client proved to be: no session may follow.</summary>
    private HandshakeStep Unauthenticate(HandshakeError error)
    {
        ClientName = null;
        RequestedAddress = default;
        return Finish(HandshakeStep.Fail(error));
    }

    private HandshakeStep Finish(HandshakeStep step)
    {
        _state = State.Done;
        Forget();
        return step;
    }

    /// <summary>Wipes every secret still held: hs and k_accept (the ephemeral private key never outlives OnClientHello).</summary>
    private void Forget()
    {
        _schedule?.Dispose();
        CryptographicOperations.ZeroMemory(_acceptKey);
    }

    public void Dispose() => Forget();
}
