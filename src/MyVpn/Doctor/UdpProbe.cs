using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>
/// The result of probing the server through the protocol: the outcome, the session port and MTU the
/// server granted (when the handshake got that far), and a detail (why it was skipped, the refusal).
/// </summary>
public sealed record UdpProbe(UdpProbeOutcome Outcome, string Detail = "", ushort Port = 0, int? GrantedMtu = null)
{
    /// <summary>The DNS servers the server pushes, which the client uses once connected (empty: none pushed).</summary>
    public IReadOnlyList<IPv4Address> PushedDns { get; init; } = [];

    /// <summary>The VPN subnet the client is granted, routed through the tun device once connected.</summary>
    public IPv4Range? VpnSubnet { get; init; }

    /// <summary>The routes the server pushes, routed through the tun device once connected unless the client refuses them.</summary>
    public IReadOnlyList<IPv4Range> PushedRoutes { get; init; } = [];

    public static UdpProbe Skipped(string why) => new(UdpProbeOutcome.Skipped, why);
}
