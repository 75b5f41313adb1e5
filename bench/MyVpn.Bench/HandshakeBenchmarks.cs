using BenchmarkDotNet.Attributes;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Bench;

/// <summary>
/// One complete handshake, client and server in memory: two P-256 key generations, two ECDH
/// agreements, the key schedule, three AES-GCM messages. This is the cost of a connection, not of a packet.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)1, WireFormat.KeyLength)];
    private static readonly Dictionary<string, byte[]> Keys = new() { ["pc1"] = Key };
    private static readonly SessionGrant Grant = new(1, IPv4Address.Parse("10.0.0.2"), 24,
        IPv4Address.Parse("10.0.0.1"), 40000, 1420, TimeSpan.FromSeconds(10));

    [Benchmark]
    public uint FullHandshake()
    {
        using var client = new ClientHandshake("pc1", Key, default, SystemRandomSource.Instance);
        using var server = new ServerHandshake(Keys, SystemRandomSource.Instance);
        var serverHello = server.OnData(client.Start()).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        if (server.OnData(clientAuth).Status != HandshakeStatus.Authenticated)
            throw new InvalidOperationException("server did not authenticate the client");
        var (accept, session) = server.Accept(Grant);
        session.Dispose();
        if (client.OnData(accept).Status != HandshakeStatus.Established)
            throw new InvalidOperationException("client did not establish");
        return client.Grant!.SessionId;
    }
}
