namespace MyVpn.Doctor;

/// <summary>
/// The result of probing the server through the protocol: the outcome, the session port and MTU the
/// server granted (when the handshake got that far), and a detail (why it was skipped, the refusal).
/// </summary>
public sealed record UdpProbe(UdpProbeOutcome Outcome, string Detail = "", ushort Port = 0, int? GrantedMtu = null)
{
    public static UdpProbe Skipped(string why) => new(UdpProbeOutcome.Skipped, why);
}
