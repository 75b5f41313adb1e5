using System.Security.Cryptography;
using System.Text;
using MyVpn.Crypto;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The client's side of the handshake: ClientHello → (ServerHello) → ClientAuth → (ServerAccept or Reject).
/// Pure: bytes in, bytes out; the engine moves them over the stream.
/// </summary>
/// <remarks>
/// Secrets are wiped as soon as their step is done: the ephemeral private key and the ECDH secret
/// once hs is derived, k_id, k_proof, the proof and the identity plaintext once ClientAuth is sealed,
/// k_accept and the decrypted grant once ServerAccept is read, hs and this object's copy of the PSK
/// when the handshake ends (established or failed), and the data keys once <see cref="CreateSession"/>
/// has made the session; <see cref="Dispose"/> wipes whatever is left.
/// </remarks>
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

    /// <summary>
    /// Whose P-256 and AES-GCM the handshake uses: <see cref="CryptoProviders.Default"/> unless set at
    /// construction (tests run the vectors with each provider). The data channel's AES-GCM is the
    /// <see cref="DataChannelFactory{TChannel}"/>'s choice.
    /// </summary>
    public ICryptoProvider Crypto { get; init; } = CryptoProviders.Default;

    /// <summary>Tests set this right after construction to see every secret buffer the handshake makes.</summary>
    internal SecretTracker? Secrets
    {
        get => _secrets;
        set
        {
            _secrets = value;
            _secrets.Track("psk copy", _psk);
        }
    }

    private SecretTracker? _secrets;

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
        _ephemeral = EphemeralKey.Generate(_random, Crypto.KeyAgreement, _secrets);
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

    /// <summary>
    /// The data channel of the established session, made by <paramref name="create"/> (the client seals
    /// with the client-to-server key). Once: the data keys are wiped when <paramref name="create"/> returns.
    /// </summary>
    public TChannel CreateSession<TChannel>(DataChannelFactory<TChannel> create, Action<SessionKeys>? keyLog = null)
    {
        if (Grant is null)
            throw new InvalidOperationException("no session was granted");
        if (_sessionCreated)
            throw new InvalidOperationException("the session was created already; its keys are wiped");
        _sessionCreated = true;
        try
        {
            keyLog?.Invoke(new SessionKeys(Grant.SessionId, _clientToServer.ToArray(), _serverToClient.ToArray()));
            return create(Grant.SessionId, _clientToServer, _serverToClient);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(_clientToServer);
            CryptographicOperations.ZeroMemory(_serverToClient);
        }
    }

    private bool _sessionCreated;

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
        var agreed = _ephemeral!.TryAgree(body[..HandshakeMessage.PublicKeyLength], out var shared);
        _ephemeral.Dispose(); // the private key's one use is done
        if (!agreed)
            return HandshakeStep.Fail(HandshakeError.InvalidPublicKey);
        _secrets.Track("ecdh", shared);
        _schedule = new KeySchedule(shared, _clientHello, frame, _secrets);
        CryptographicOperations.ZeroMemory(shared);
        var th1 = _schedule.Transcript.ToArray();
        var identityKey = _schedule.IdentityKey();

        var identity = _secrets.Track("identity", new byte[HandshakeMessage.IdentityLength]);
        var plaintext = _secrets.Track("identity | proof", new byte[HandshakeMessage.IdentityLength + HandshakeMessage.ProofLength]);
        byte[] proof = [];
        try
        {
            identity[0] = (byte)_name.Length;
            _name.CopyTo(identity, 1);
            _requested.Write(identity.AsSpan(1 + HandshakeMessage.MaxNameLength));
            _schedule.AddIdentity(identity);
            proof = _secrets.Track("proof", _schedule.ClientProof(_psk));
            identity.CopyTo(plaintext, 0);
            proof.CopyTo(plaintext, identity.Length);
            var sealedIdentity = KeySchedule.Seal(identityKey, plaintext, th1, Crypto);
            var clientAuth = HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, sealedIdentity);
            _schedule.AddClientAuth(clientAuth);
            _state = State.AwaitAccept;
            return new HandshakeStep(HandshakeStatus.InProgress, Reply: clientAuth);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(identityKey);
            CryptographicOperations.ZeroMemory(identity);
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(proof);
        }
    }

    private HandshakeStep OnServerAccept(ReadOnlySpan<byte> frame)
    {
        var acceptKey = _schedule!.AcceptKey(_psk);
        var opened = KeySchedule.TryOpen(acceptKey, frame[HandshakeMessage.HeaderLength..], _schedule.Transcript, out var plaintext, Crypto);
        CryptographicOperations.ZeroMemory(acceptKey);
        _secrets.Track("grant", plaintext);
        try
        {
            if (!opened)
                return HandshakeStep.Fail(HandshakeError.ServerAuthFailed);
            if (!GrantEncoding.TryDecode(plaintext, out var grant, out _clientToServer, out _serverToClient, out var error))
                return HandshakeStep.Fail(error);
            _secrets.Track("data key", _clientToServer);
            _secrets.Track("data key", _serverToClient);
            Grant = grant;
            return new HandshakeStep(HandshakeStatus.Established);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
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
        _schedule?.Dispose();
        CryptographicOperations.ZeroMemory(_psk);
        return step;
    }

    public void Dispose()
    {
        _ephemeral?.Dispose();
        _schedule?.Dispose();
        CryptographicOperations.ZeroMemory(_psk);
        CryptographicOperations.ZeroMemory(_clientToServer);
        CryptographicOperations.ZeroMemory(_serverToClient);
    }
}
