using System.Buffers.Binary;
using System.Text;
using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// What the wire must look like (docs/protocol.md): every datagram on a session port is
/// IV(16) | ciphertext | tag(16), the IV being session id (u32 BE) | counter (u64 BE) | 4 zero bytes,
/// never repeated under one key (one key per direction), and nothing of the inner packet in clear.
/// </summary>
internal static class WireCheck
{
    public const int IvLength = 16;
    public const int TagLength = 16;
    public const int KeepaliveLength = IvLength + TagLength;

    /// <summary>The pattern ping -p puts in its echo payload ("myvpn-secret"): it must never be seen on the wire.</summary>
    public const string PingPatternHex = "6d7976706e2d736563726574";
    public static readonly byte[] PingPattern = Convert.FromHexString(PingPatternHex);

    public static bool IsSessionPort(ushort port) => port is >= 40000 and <= 40999;

    /// <summary>The datagrams to or from one of the server's session ports.</summary>
    public static IReadOnlyList<CapturedDatagram> SessionTraffic(IEnumerable<CapturedDatagram> all) =>
        all.Where(d => (d.Destination == Topology.ServerWan && IsSessionPort(d.DestinationPort))
                    || (d.Source == Topology.ServerWan && IsSessionPort(d.SourcePort)))
            .ToList();

    public static void AssertSealed(IReadOnlyList<CapturedDatagram> session)
    {
        Assert.NotEmpty(session);
        var seen = new HashSet<(string Direction, string Iv)>();
        var sessionIds = new Dictionary<ushort, uint>();
        foreach (var datagram in session)
        {
            var payload = datagram.Payload;
            Assert.True(payload.Length >= KeepaliveLength, $"a {payload.Length}-byte datagram cannot be IV | ciphertext | tag");
            var iv = payload.AsSpan(0, IvLength);
            Assert.True(iv[12..].IndexOfAnyExcept((byte)0) < 0, $"IV {Convert.ToHexString(iv)} does not end in 4 zero bytes");
            var serverPort = datagram.Source == Topology.ServerWan ? datagram.SourcePort : datagram.DestinationPort;
            var sessionId = BinaryPrimitives.ReadUInt32BigEndian(iv);
            Assert.Equal(sessionIds.GetValueOrDefault(serverPort, sessionId), sessionId);
            sessionIds[serverPort] = sessionId;
            var direction = $"{datagram.Source}:{datagram.SourcePort}>{datagram.Destination}:{datagram.DestinationPort}";
            Assert.True(seen.Add((direction, Convert.ToHexString(iv))), $"IV {Convert.ToHexString(iv)} repeated on {direction}");
            Assert.True(payload.AsSpan().IndexOf(PingPattern) < 0, $"the ping pattern is in clear in a datagram on {direction}");
        }
    }

    /// <summary>
    /// The capture reduced to what does not change from run to run: one line per data datagram
    /// (keepalives, whose timing varies, left out) with who sent it to whom, which end is the
    /// server's session port, and its length.
    /// </summary>
    public static string Summary(IEnumerable<CapturedDatagram> session)
    {
        var text = new StringBuilder();
        text.AppendLine("# direction, session port end, datagram length (IV 16 + inner packet + tag 16); keepalives left out");
        foreach (var datagram in session.Where(d => d.Payload.Length > KeepaliveLength))
        {
            var toServer = datagram.Destination == Topology.ServerWan;
            var line = toServer
                ? $"{Role(datagram.Source)} -> server:session-port {datagram.Payload.Length}"
                : $"server:session-port -> {Role(datagram.Destination)} {datagram.Payload.Length}";
            text.AppendLine(line);
        }
        return text.ToString();
    }

    private static string Role(string address) => address switch
    {
        Topology.Pc1Wan => "pc1",
        Topology.Pc2Wan => "pc2",
        Topology.ServerWan => "server",
        _ => address,
    };
}
