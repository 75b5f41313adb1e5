using MyVpn.Net;
using MyVpn.Tests.Unit.Support;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>
/// Rewrites a capture so every client's UDP port lies inside the session range (40000-40999), as a
/// client's ephemeral port can on Linux (32768-60999): then both ports of each data packet look like
/// session ports and only the handshake says which side is the server.
/// </summary>
internal static class EphemeralPorts
{
    public const ushort First = 40900;

    public static List<WireDatagram> InSessionRange(IEnumerable<WireDatagram> wire)
    {
        var remapped = new Dictionary<NetEndpoint, NetEndpoint>();
        NetEndpoint Map(NetEndpoint client)
        {
            if (!remapped.TryGetValue(client, out var mapped))
                remapped[client] = mapped = client with { Port = (ushort)(First + remapped.Count) };
            return mapped;
        }
        return wire.Select(d => d.Tcp || !IsSessionPort(d.To.Port) && !IsSessionPort(d.From.Port) ? d
            : IsSessionPort(d.To.Port) ? d with { From = Map(d.From) }
            : d with { To = Map(d.To) }).ToList();
    }

    /// <summary>True when the datagram, as the engines sent it, went client -> server.</summary>
    public static bool ToServer(WireDatagram d) => IsSessionPort(d.To.Port);

    private static bool IsSessionPort(ushort port) => port is >= 40000 and < First;
}
