namespace MyVpn.Doctor;

/// <summary>
/// What the host's input firewall does to a new packet for one port: <see cref="DroppedBy"/> names the
/// chain and rule (or policy) that surely drops it; otherwise <see cref="MaybeDroppedBy"/> names a rule
/// that drops it under conditions the doctor does not evaluate (addresses, interfaces, rate limits).
/// <see cref="BaseChain"/> is the input-hook chain the drop happens under: where an accept rule would go.
/// </summary>
public sealed record FirewallFinding(string? DroppedBy, string? MaybeDroppedBy, NftChain? BaseChain = null)
{
    public static readonly FirewallFinding Passes = new(null, null);
}
