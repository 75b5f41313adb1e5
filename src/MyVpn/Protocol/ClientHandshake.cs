using System.Security.Cryptography;
using System.Text;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The client's side of the handshake: ClientHello → (ServerHello) → ClientAuth → (ServerAccept or Reject).
/// Pure: bytes in, bytes out; the engine moves them over the stream.
/// </summary>
public sealed class ClientHandshake : IDisposable
{
    private enum State { New, AwaitServerHello, AwaitAccept, Done }

    private readonly byte[] _name;
    private readonly byte[] _psk;
    private readonly IPv4Address _requested;
    private readonly IRandomSource _random;
    private readonly HandshakeReader _reader = new();
    private EphemeralKey? _ephemeral;
    private byte[] _clientHello = [];
    private KeySchedule? _schedule;
    private State _state;

    /// <param name="requestedAddress">The address this client had before (0.0.0.0: none); the server grants it if free.</param>
    public ClientHandshake(string name, ReadOnlySpan<byte> psk, IPv4Address requestedAddress, IRandomSource random)
    {
        _name = Encoding.UTF8.GetBytes(name);
        if (_name.Length is 0 or > HandshakeMessage.MaxNameLength)
            throw new ArgumentException($"a client name is 1 to {HandshakeMessage.MaxNameLength} bytes", nameof(name));
        if (psk.Length != WireFormat.KeyLength)
            throw new ArgumentException("a pre-shared key is 32 bytes", nameof(psk));
        _psk = psk.ToArray();
        _requested = requestedAddress;
        _random = random;
    }

    /// <summary>Set once the handshake is <see cref="HandshakeStatus.Established"/>.</summary>
    public SessionGrant? Grant { get; private set; }

    /// <summary>With <see cref="HandshakeError.Rejected"/>: the server's reason.</summary>
    public RejectCode? RejectCode { get; private set; }

    private byte[] _clientToServer = [];
    private byte[] _serverToClient = [];

    /// <summary>The first message, ClientHello.</summary>
    public byte[] Start()
    {
        if (_state != State.New)
            throw new InvalidOperationException("the handshake has started already");
        _ephemeral = EphemeralKey.Generate(_random);
        var body = new byte[HandshakeMessage.HelloLength];
        _ephemeral.PublicKey.CopyTo(body, 0);
        _random.Fill(body.AsSpan(HandshakeMessage.PublicKeyLength));
        _clientHello = HandshakeMessage.Frame(HandshakeMessageType.ClientHello, body);
        _state = State.AwaitServerHello;
        return _clientHello;
    }

    public HandshakeStep OnData(ReadOnlySpan<byte> data)
    {
        byte[]? reply = null;
        while (!data.IsEmpty)
        {
            if (_state is State.Done or State.New)
                return Finish(HandshakeStep.Fail(HandshakeError.UnexpectedMessage));
            if (!_reader.TryRead(ref data, out var type, out var frame, out var error))
                return error == HandshakeError.None ? new HandshakeStep(HandshakeStatus.InProgress, Reply: reply) : Finish(HandshakeStep.Fail(error));
            var step = OnFrame(type, frame);
            if (step.Status == HandshakeStatus.Established && !data.IsEmpty)
            {
                // ServerAccept is the last message: anything after it is a protocol violation.
                Grant = null;
                return Finish(HandshakeStep.Fail(HandshakeError.UnexpectedMessage));
            }
            if (step.Status != HandshakeStatus.InProgress)
                return Finish(step);
            reply = step.Reply;
        }
        return new HandshakeStep(HandshakeStatus.InProgress, Reply: reply);
    }

    /// <summary>The connection closed: a handshake not yet done fails, as truncated if a message was cut off.</summary>
    public HandshakeError OnClosed() =>
        _state == State.Done ? HandshakeError.None
        : _reader.HasPartialFrame ? HandshakeError.Truncated
        : HandshakeError.ConnectionClosed;

    /// <summary>The data channel of the established session (client seals with the client-to-server key).</summary>
    public Session CreateSession(Action<SessionKeys>? keyLog = null)
    {
        if (Grant is null)
            throw new InvalidOperationException("no session was granted");
        keyLog?.Invoke(new SessionKeys(Grant.SessionId, _clientToServer.ToArray(), _serverToClient.ToArray()));
        return new Session(Grant.SessionId, _clientToServer, _serverToClient);
    }

    private HandshakeStep OnFrame(HandshakeMessageType type, ReadOnlySpan<byte> frame)
    {
        if (type == HandshakeMessageType.Reject)
            return Rejected(frame[HandshakeMessage.HeaderLength]);
        if (_state == State.AwaitServerHello && type == HandshakeMessageType.ServerHello)
            return OnServerHello(frame);
        if (_state == State.AwaitAccept && type == HandshakeMessageType.ServerAccept)
            return OnServerAccept(frame);
        return HandshakeStep.Fail(HandshakeError.UnexpectedMessage);
    }

    private HandshakeStep OnServerHello(ReadOnlySpan<byte> frame)
    {
        var body = frame[HandshakeMessage.HeaderLength..];
        if (!_ephemeral!.TryAgree(body[..HandshakeMessage.PublicKeyLength], out var shared))
            return HandshakeStep.Fail(HandshakeError.InvalidPublicKey);
        _schedule = new KeySchedule(shared, _clientHello, frame);
        CryptographicOperations.ZeroMemory(shared);
        var th1 = _schedule.Transcript.ToArray();
        var identityKey = _schedule.IdentityKey();

        var identity = new byte[HandshakeMessage.IdentityLength];
        identity[0] = (byte)_name.Length;
        _name.CopyTo(identity, 1);
        _requested.Write(identity.AsSpan(1 + HandshakeMessage.MaxNameLength));
        _schedule.AddIdentity(identity);
        var proof = _schedule.ClientProof(_psk);

        var sealedIdentity = KeySchedule.Seal(identityKey, [.. identity, .. proof], th1);
        CryptographicOperations.ZeroMemory(identityKey);
        var clientAuth = HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, sealedIdentity);
        _schedule.AddClientAuth(clientAuth);
        _state = State.AwaitAccept;
        return new HandshakeStep(HandshakeStatus.InProgress, Reply: clientAuth);
    }

    private HandshakeStep OnServerAccept(ReadOnlySpan<byte> frame)
    {
        var acceptKey = _schedule!.AcceptKey(_psk);
        var opened = KeySchedule.TryOpen(acceptKey, frame[HandshakeMessage.HeaderLength..], _schedule.Transcript, out var plaintext);
        CryptographicOperations.ZeroMemory(acceptKey);
        if (!opened)
            return HandshakeStep.Fail(HandshakeError.ServerAuthFailed);
        if (!GrantEncoding.TryDecode(plaintext, out var grant, out _clientToServer, out _serverToClient))
            return HandshakeStep.Fail(HandshakeError.Malformed);
        CryptographicOperations.ZeroMemory(plaintext);
        Grant = grant;
        return new HandshakeStep(HandshakeStatus.Established);
    }

    private HandshakeStep Rejected(byte code)
    {
        RejectCode = (RejectCode)code;
        return HandshakeStep.Fail((RejectCode)code switch
        {
            Protocol.RejectCode.AuthenticationFailed => HandshakeError.AuthenticationRejected,
            Protocol.RejectCode.Busy => HandshakeError.Busy,
            Protocol.RejectCode.NoAddressAvailable => HandshakeError.NoAddressAvailable,
            Protocol.RejectCode.NoPortAvailable => HandshakeError.NoPortAvailable,
            Protocol.RejectCode.UnsupportedVersion => HandshakeError.UnsupportedVersion,
            _ => HandshakeError.Rejected,
        });
    }

    private HandshakeStep Finish(HandshakeStep step)
    {
        _state = State.Done;
        _ephemeral?.Dispose();
        return step;
    }

    public void Dispose()
    {
        _ephemeral?.Dispose();
        CryptographicOperations.ZeroMemory(_psk);
        CryptographicOperations.ZeroMemory(_clientToServer);
        CryptographicOperations.ZeroMemory(_serverToClient);
    }
}
