using BenchmarkDotNet.Attributes;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Bench;

/// <summary>
/// The cost of a connection, not of a packet. <see cref="FullHandshake"/> is both sides in memory: two
/// P-256 key generations, two ECDH agreements, the key schedule, three AES-GCM messages.
/// <see cref="ServerSide"/> is the server's share alone (what bounds the handshakes a server can do):
/// one key generation, one agreement, its key schedule, opening ClientAuth and sealing ServerAccept.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)1, WireFormat.KeyLength)];
    private static readonly Dictionary<string, byte[]> Keys = new() { ["pc1"] = Key };
    private static readonly SessionGrant Grant = new(1, IPv4Address.Parse("10.0.0.2"), 24,
        IPv4Address.Parse("10.0.0.1"), 40000, 1420, TimeSpan.FromSeconds(10));

    private ReplayedRandom _serverRandom = null!;
    private byte[] _clientHello = [];
    private byte[] _clientAuth = [];

    /// <summary>
    /// Records one real handshake: the client's two messages and every random byte the server drew, so
    /// that <see cref="ServerSide"/> can replay the server's half against the same client messages.
    /// </summary>
    [GlobalSetup(Target = nameof(ServerSide))]
    public void RecordClientMessages()
    {
        var recording = new ReplayedRandom();
        using var client = new ClientHandshake("pc1", Key, default, SystemRandomSource.Instance);
        using var server = new ServerHandshake(Keys, recording);
        _clientHello = client.Start();
        _clientAuth = client.OnData(server.OnData(_clientHello).Reply!).Reply!;
        if (server.OnData(_clientAuth).Status != HandshakeStatus.Authenticated)
            throw new InvalidOperationException("server did not authenticate the client");
        server.Accept(Grant, Session.Create).Session.Dispose();
        _serverRandom = recording.Freeze();
    }

    [Benchmark]
    public uint FullHandshake()
    {
        using var client = new ClientHandshake("pc1", Key, default, SystemRandomSource.Instance);
        using var server = new ServerHandshake(Keys, SystemRandomSource.Instance);
        var serverHello = server.OnData(client.Start()).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        if (server.OnData(clientAuth).Status != HandshakeStatus.Authenticated)
            throw new InvalidOperationException("server did not authenticate the client");
        var (accept, session) = server.Accept(Grant, Session.Create);
        session.Dispose();
        if (client.OnData(accept).Status != HandshakeStatus.Established)
            throw new InvalidOperationException("client did not establish");
        return client.Grant!.SessionId;
    }

    [Benchmark]
    public int ServerSide()
    {
        _serverRandom.Rewind();
        using var server = new ServerHandshake(Keys, _serverRandom);
        server.OnData(_clientHello);
        if (server.OnData(_clientAuth).Status != HandshakeStatus.Authenticated)
            throw new InvalidOperationException("server did not authenticate the client");
        var (accept, session) = server.Accept(Grant, Session.Create);
        session.Dispose();
        return accept.Length;
    }

    /// <summary>Records the operating system's random bytes once, then plays them back from the start on every <see cref="Rewind"/>.</summary>
    private sealed class ReplayedRandom : IRandomSource
    {
        private readonly List<byte> _recorded = [];
        private byte[]? _frozen;
        private int _position;

        public void Fill(Span<byte> destination)
        {
            if (_frozen is null)
            {
                SystemRandomSource.Instance.Fill(destination);
                _recorded.AddRange(destination);
                return;
            }
            _frozen.AsSpan(_position, destination.Length).CopyTo(destination);
            _position += destination.Length;
        }

        public ReplayedRandom Freeze()
        {
            _frozen = [.. _recorded];
            return this;
        }

        public void Rewind() => _position = 0;
    }
}
