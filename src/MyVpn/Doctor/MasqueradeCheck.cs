namespace MyVpn.Doctor;

/// <summary>
/// NAT: with <c>masquerade</c> set, the running server's table must hold the postrouting rule that
/// masquerades the VPN subnet out of that interface (something may have flushed it); without it, clients
/// reach the VPN subnet but not the internet through this server.
/// </summary>
public sealed class MasqueradeCheck : IDoctorCheck<ServerFacts>
{
    public IEnumerable<DoctorLine> Check(ServerFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        if (setup.Masquerade is not { } outside)
        {
            yield return DoctorLine.Warn("no masquerade",
                "clients reach the VPN subnet but not the internet through this server; to give them the internet set masquerade = \"IFACE\" (--masquerade IFACE), IFACE being the interface towards it");
            yield break;
        }
        if (facts.RunningPid is null)
        {
            yield return DoctorLine.Ok($"NAT: the server adds masquerade out of {outside} (table ip {setup.NatTable}) at start");
            yield break;
        }
        if (facts.Ruleset is null)
        {
            yield return DoctorLine.Warn("NAT rule", $"cannot read the nftables ruleset: {facts.RulesetProblem}");
            yield break;
        }
        var found = facts.Ruleset.Chains
            .Where(c => c.Family == "ip" && c.Table == setup.NatTable && c.Hook == "postrouting")
            .SelectMany(c => c.Rules)
            .Any(r => r.Masquerades && r.Matches.Any(m => m.Kind == NftMatchKind.OutputInterface && !m.Negated && m.Words.Contains(outside)));
        yield return found
            ? DoctorLine.Ok($"NAT: table ip {setup.NatTable} masquerades out of {outside}")
            : DoctorLine.Fail($"NAT rule missing: table ip {setup.NatTable} has no masquerade out of {outside}",
                "something removed or flushed it, so clients reach nothing beyond the server; restart the server to add it again");
    }
}
