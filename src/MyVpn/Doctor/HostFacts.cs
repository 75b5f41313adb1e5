namespace MyVpn.Doctor;

/// <summary>What both sides need of the host: who runs doctor, the tun device node, and whether the config (keys included) resolved.</summary>
public sealed record HostFacts(bool IsRoot, bool TunNodeExists, string? ConfigProblem);
