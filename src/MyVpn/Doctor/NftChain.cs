namespace MyVpn.Doctor;

/// <summary>An nftables chain: its table, the hook it is attached to (null: a regular chain), its policy, and its rules in order.</summary>
public sealed record NftChain(string Family, string Table, string Name, string? Hook, string Policy, IReadOnlyList<NftRule> Rules)
{
    public string Where => $"table {Family} {Table} chain {Name}";
}
