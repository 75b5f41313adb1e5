namespace MyVpn.Doctor;

/// <summary>
/// One nftables rule: its matches, its verdict (<c>accept</c>, <c>drop</c>, <c>reject</c>, <c>jump</c>,
/// <c>goto</c>, <c>return</c>; null for none), the chain a jump or goto names, and for NAT rules whether
/// it masquerades.
/// </summary>
public sealed record NftRule(long Handle, IReadOnlyList<NftMatch> Matches, string? Verdict, string? Target = null, bool Masquerades = false);
