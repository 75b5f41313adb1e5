namespace MyVpn.Doctor;

/// <summary>
/// Follows a new TCP or UDP packet for one local port, arriving from outside (not on <c>lo</c>),
/// through every input-hook chain of the ip and inet tables: rules are taken in order, jumps and gotos
/// followed, and the first rule that surely matches decides; at the end of a chain its policy does. A
/// drop in any table drops the packet (an accept in one table does not override another's drop). A rule
/// matching on what the doctor does not evaluate (addresses, interfaces other than lo, named sets) is
/// not followed; a drop among those is reported as a possible block. MyVpn's own tables are left out:
/// they only concern packets from the tun device.
/// </summary>
public static class InputFirewall
{
    private enum Applies { No, Yes, Maybe }

    private enum Outcome { Continue, Accept, Drop }

    private const int MaxDepth = 16;

    public static FirewallFinding Judge(NftRuleset ruleset, string protocol, int port)
    {
        string? maybe = null;
        foreach (var chain in ruleset.Chains)
        {
            if (chain.Hook != "input" || chain.Family is not ("ip" or "inet") || chain.Table.StartsWith("myvpn_", StringComparison.Ordinal))
                continue;
            var (outcome, where) = Evaluate(ruleset, chain, protocol, port, 0, ref maybe);
            if (outcome == Outcome.Drop)
                return new FirewallFinding(where, null, chain);
            if (outcome == Outcome.Continue && chain.Policy == "drop")
                return new FirewallFinding($"{chain.Where}: policy drop, and no rule accepts it", null, chain);
        }
        return new FirewallFinding(null, maybe);
    }

    private static (Outcome, string?) Evaluate(NftRuleset ruleset, NftChain chain, string protocol, int port, int depth, ref string? maybe)
    {
        if (depth > MaxDepth)
            return (Outcome.Continue, null);
        foreach (var rule in chain.Rules)
        {
            var applies = Match(rule, protocol, port);
            if (applies == Applies.No)
                continue;
            if (applies == Applies.Maybe)
            {
                if (rule.Verdict is "drop" or "reject")
                    maybe ??= $"{chain.Where} rule handle {rule.Handle} ({rule.Verdict})";
                continue;
            }
            switch (rule.Verdict)
            {
                case "accept":
                    return (Outcome.Accept, null);
                case "drop" or "reject":
                    return (Outcome.Drop, $"{chain.Where} rule handle {rule.Handle} ({rule.Verdict})");
                case "return":
                    return (Outcome.Continue, null);
                case "jump" or "goto":
                    var target = rule.Target is null ? null : ruleset.Find(chain.Family, chain.Table, rule.Target);
                    if (target is null)
                        continue;
                    var result = Evaluate(ruleset, target, protocol, port, depth + 1, ref maybe);
                    if (result.Item1 != Outcome.Continue || rule.Verdict == "goto")
                        return result;
                    continue;
            }
        }
        return (Outcome.Continue, null);
    }

    private static Applies Match(NftRule rule, string protocol, int port)
    {
        var result = Applies.Yes;
        foreach (var match in rule.Matches)
        {
            var one = match.Kind switch
            {
                NftMatchKind.DestinationPort when match.Protocol is not null && match.Protocol != "th" && match.Protocol != protocol => Applies.No,
                NftMatchKind.DestinationPort => match.PortIn(port) != match.Negated ? Applies.Yes : Applies.No,
                NftMatchKind.Protocol => match.Words.Contains(protocol) != match.Negated ? Applies.Yes : Applies.No,
                NftMatchKind.ConnectionState => match.Words.Contains("new") != match.Negated ? Applies.Yes : Applies.No,
                NftMatchKind.InputInterface when match.Words.Count > 0 && match.Words.All(w => w == "lo") =>
                    match.Negated ? Applies.Yes : Applies.No,
                _ => Applies.Maybe,
            };
            if (one == Applies.No)
                return Applies.No;
            if (one == Applies.Maybe)
                result = Applies.Maybe;
        }
        return result;
    }
}
