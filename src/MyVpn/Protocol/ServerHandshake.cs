using System.Security.Cryptography;
using System.Text;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The server's side of the handshake: (ClientHello) → ServerHello → (ClientAuth) → Authenticated;
/// the engine then calls <see cref="Accept"/> with the session it grants, or <see cref="RejectFrame"/>.
/// Pure: bytes in, bytes out.
/// </summary>
public sealed class ServerHandshake : IDisposable
{
    private enum State { AwaitClientHello, AwaitClientAuth, Authenticated, Done }

    private readonly Func<string, byte[]?> _keyFor;
    private readonly IRandomSource _random;
    private readonly HandshakeReader _reader = new();
    private EphemeralKey? _ephemeral;
    private KeySchedule? _schedule;
    private byte[] _psk = [];
    private State _state;

    /// <param name="keyFor">The pre-shared key of the client of that name, or null for a name the server does not accept.</param>
    public ServerHandshake(Func<string, byte[]?> keyFor, IRandomSource random)
    {
        _keyFor = keyFor;
        _random = random;
    }

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
    /// server's data channel (it seals with the server-to-client key). With <paramref name="keyLog"/>
    /// the data keys are also handed to it (for --keylog).
    /// </summary>
    public (byte[] Frame, Session Session) Accept(SessionGrant grant, Action<SessionKeys>? keyLog = null)
    {
        if (_state != State.Authenticated)
            throw new InvalidOperationException("the client is not authenticated");
        Span<byte> keys = stackalloc byte[2 * WireFormat.KeyLength];
        _random.Fill(keys);
        var clientToServer = keys[..WireFormat.KeyLength];
        var serverToClient = keys[WireFormat.KeyLength..];
        var plaintext = GrantEncoding.Encode(grant, clientToServer, serverToClient);
        var acceptKey = _schedule!.AcceptKey(_psk);
        var body = KeySchedule.Seal(acceptKey, plaintext, _schedule.Transcript);
        var session = new Session(grant.SessionId, serverToClient, clientToServer);
        keyLog?.Invoke(new SessionKeys(grant.SessionId, clientToServer.ToArray(), serverToClient.ToArray()));
        CryptographicOperations.ZeroMemory(acceptKey);
        CryptographicOperations.ZeroMemory(plaintext);
        CryptographicOperations.ZeroMemory(keys);
        Finish(default);
        return (HandshakeMessage.Frame(HandshakeMessageType.ServerAccept, body), session);
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
        HandshakeError.Busy => RejectCode.Busy,
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
        _ephemeral = EphemeralKey.Generate(_random);
        if (!_ephemeral.TryAgree(frame.Slice(HandshakeMessage.HeaderLength, HandshakeMessage.PublicKeyLength), out var shared))
            return HandshakeStep.Fail(HandshakeError.InvalidPublicKey);
        var body = new byte[HandshakeMessage.HelloLength];
        _ephemeral.PublicKey.CopyTo(body, 0);
        _random.Fill(body.AsSpan(HandshakeMessage.PublicKeyLength));
        var serverHello = HandshakeMessage.Frame(HandshakeMessageType.ServerHello, body);
        _schedule = new KeySchedule(shared, frame, serverHello);
        CryptographicOperations.ZeroMemory(shared);
        _state = State.AwaitClientAuth;
        return new HandshakeStep(HandshakeStatus.InProgress, Reply: serverHello);
    }

    private HandshakeStep OnClientAuth(ReadOnlySpan<byte> frame)
    {
        var th1 = _schedule!.Transcript.ToArray();
        var identityKey = _schedule.IdentityKey();
        var opened = KeySchedule.TryOpen(identityKey, frame[HandshakeMessage.HeaderLength..], th1, out var plaintext);
        CryptographicOperations.ZeroMemory(identityKey);
        if (!opened)
            return HandshakeStep.Fail(HandshakeError.ClientAuthUndecryptable);

        var nameLength = plaintext[0];
        var identity = plaintext.AsSpan(0, HandshakeMessage.IdentityLength);
        if (nameLength is 0 or > HandshakeMessage.MaxNameLength)
            return HandshakeStep.Fail(HandshakeError.Malformed);
        if (identity.Slice(1 + nameLength, HandshakeMessage.MaxNameLength - nameLength).ContainsAnyExcept((byte)0))
            return HandshakeStep.Fail(HandshakeError.Malformed);
        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(identity.Slice(1, nameLength));
        }
        catch (DecoderFallbackException)
        {
            return HandshakeStep.Fail(HandshakeError.Malformed);
        }
        ClaimedName = name;
        if (_keyFor(name) is not { } psk)
            return HandshakeStep.Fail(HandshakeError.UnknownClient);

        _schedule.AddIdentity(identity);
        var expected = _schedule.ClientProof(psk);
        var proofMatches = CryptographicOperations.FixedTimeEquals(expected, plaintext.AsSpan(identity.Length));
        CryptographicOperations.ZeroMemory(expected);
        if (!proofMatches)
            return HandshakeStep.Fail(HandshakeError.WrongKey);

        _schedule.AddClientAuth(frame);
        _psk = psk;
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
        _psk = [];
        return Finish(HandshakeStep.Fail(error));
    }

    private HandshakeStep Finish(HandshakeStep step)
    {
        _state = State.Done;
        _ephemeral?.Dispose();
        return step;
    }

    public void Dispose() => _ephemeral?.Dispose();
}
