namespace MyVpn.Doctor;

/// <summary>
/// The host's firewall must let new handshakes in on the TCP port and datagrams in on the UDP session
/// ports. Judged on <c>nft -j list ruleset</c> by <see cref="InputFirewall"/>: drop and reject rules on
/// the port, port ranges and sets, jumps, and input chains whose policy is drop with no accept for it.
/// </summary>
public sealed class FirewallCheck : IDoctorCheck<ServerFacts>
{
    public IEnumerable<DoctorLine> Check(ServerFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        if (facts.Ruleset is not { } ruleset)
        {
            yield return DoctorLine.Warn("firewall", $"cannot read the nftables ruleset: {facts.RulesetProblem}");
            yield break;
        }

        var tcp = InputFirewall.Judge(ruleset, "tcp", setup.Listen.Port);
        yield return Line($"TCP port {setup.Listen.Port} (handshakes)", tcp, $"tcp dport {setup.Listen.Port}");

        // the range is judged port by port; the first port the firewall treats worst stands for it
        FirewallFinding? worst = null;
        int worstPort = setup.FirstPort, dropped = 0;
        for (var port = (int)setup.FirstPort; port <= setup.LastPort; port++)
        {
            var finding = InputFirewall.Judge(ruleset, "udp", port);
            if (finding.DroppedBy is not null)
                dropped++;
            if (worst is null || (worst.DroppedBy is null && (finding.DroppedBy is not null || (worst.MaybeDroppedBy is null && finding.MaybeDroppedBy is not null))))
                (worst, worstPort) = (finding, port);
        }
        var what = dropped > 0 && dropped < setup.LastPort - setup.FirstPort + 1
            ? $"UDP ports {setup.PortRange} (sessions; {dropped} of them, {worstPort} first)"
            : $"UDP ports {setup.PortRange} (sessions)";
        yield return Line(what, worst!, $"udp dport {setup.PortRange}");
    }

    private static DoctorLine Line(string what, FirewallFinding finding, string match)
    {
        if (finding.DroppedBy is { } where)
            return DoctorLine.Fail($"{what} blocked by the firewall: {where}",
                $"let it in: nft insert rule {finding.BaseChain!.Family} {finding.BaseChain.Table} {finding.BaseChain.Name} {match} accept (or the same in your firewall's own configuration)");
        if (finding.MaybeDroppedBy is { } maybe)
            return DoctorLine.Warn($"{what} may be blocked by the firewall: {maybe}", "that rule matches on more than the port; check it lets clients in");
        return DoctorLine.Ok($"{what} open in the firewall");
    }
}
