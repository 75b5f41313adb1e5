using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// A valid handshake, recorded: both sides draw their randomness from seeded sources, so a fresh side
/// with the same seed sends the same bytes again and the recorded answers of the other side stay valid
/// for it. That lets a property replay (and mutate) one side's whole input against a fresh other side.
/// </summary>
public sealed record Transcript(int ClientSeed, int ServerSeed, byte[] ClientHello, byte[] ServerHello, byte[] ClientAuth,
    byte[] ServerAccept, SessionGrant Grant)
{
    public byte[] ClientToServer => [.. ClientHello, .. ClientAuth];
    public byte[] ServerToClient => [.. ServerHello, .. ServerAccept];

    public ClientHandshake NewClient() => new("pc1", Handshakes.Key(1), default, new TestRandom(ClientSeed));
    public ServerHandshake NewServer() => new(Handshakes.Keys(), new TestRandom(ServerSeed));

    public static Transcript Record(int clientSeed, int serverSeed)
    {
        var grant = Handshakes.Grant with { SessionId = (uint)(0x10000 + clientSeed) };
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(clientSeed));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(serverSeed));
        var clientHello = client.Start();
        var serverHello = server.OnData(clientHello).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        if (server.OnData(clientAuth).Status != HandshakeStatus.Authenticated)
            throw new InvalidOperationException("the recorded handshake did not authenticate");
        var (serverAccept, session) = server.Accept(grant, PureChannel.Create);
        session.Dispose();
        if (client.OnData(serverAccept).Status != HandshakeStatus.Established)
            throw new InvalidOperationException("the recorded handshake did not establish");
        return new Transcript(clientSeed, serverSeed, clientHello, serverHello, clientAuth, serverAccept, grant);
    }

    /// <summary>A few recorded handshakes, made once.</summary>
    public static readonly IReadOnlyList<Transcript> All = [.. Enumerable.Range(0, 4).Select(i => Record(1000 + i, 2000 + i))];

    /// <summary>Every frame of every recorded handshake, plus each Reject: pieces to splice into inputs.</summary>
    public static readonly IReadOnlyList<byte[]> Frames =
    [
        .. All.SelectMany(t => new[] { t.ClientHello, t.ServerHello, t.ClientAuth, t.ServerAccept }),
        .. Enum.GetValues<RejectCode>().Select(ServerHandshake.RejectFrame),
    ];
}
