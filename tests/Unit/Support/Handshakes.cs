using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>Runs a client and a server handshake against each other in memory.</summary>
public static class Handshakes
{
    public static byte[] Key(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    public static readonly SessionGrant Grant = new(0x01020304, IPv4Address.Parse("10.0.0.2"), 24,
        IPv4Address.Parse("10.0.0.1"), 40000, 1420, TimeSpan.FromSeconds(10));

    public static Dictionary<string, byte[]> Keys() => new() { ["pc1"] = Key(1), ["pc2"] = Key(2) };

    /// <summary>Drives both sides to the end; returns the last client and server steps.</summary>
    public static (HandshakeStep Client, HandshakeStep Server) Run(ClientHandshake client, ServerHandshake server)
    {
        var toServer = client.Start();
        var serverStep = server.OnData(toServer);
        if (serverStep.Status == HandshakeStatus.Failed)
            return (default, serverStep);
        var clientStep = client.OnData(serverStep.Reply!);
        if (clientStep.Status == HandshakeStatus.Failed)
            return (clientStep, serverStep);
        serverStep = server.OnData(clientStep.Reply!);
        if (serverStep.Status != HandshakeStatus.Authenticated)
        {
            var reject = ServerHandshake.RejectFrame(ServerHandshake.RejectCodeFor(serverStep.Error));
            return (client.OnData(reject), serverStep);
        }
        var (accept, _) = server.Accept(Grant, PureChannel.Create);
        return (client.OnData(accept), serverStep);
    }
}
