using System.Text.Json;

namespace MyVpn.Doctor;

/// <summary>
/// The host's nftables ruleset as <c>nft -j list ruleset</c> prints it, reduced to what the doctor
/// judges: chains with their hooks and policies, rules with the matches it understands (ports,
/// protocols, interfaces, connection state) and their verdicts. Whatever else a rule matches on is kept
/// as <see cref="NftMatchKind.Other"/>, so a check knows it cannot be sure. iptables-nft rules are
/// nftables rules too and show up here.
/// </summary>
public sealed class NftRuleset
{
    private NftRuleset(IReadOnlyList<NftChain> chains) => Chains = chains;

    public IReadOnlyList<NftChain> Chains { get; }

    public NftChain? Find(string family, string table, string name) =>
        Chains.FirstOrDefault(c => c.Family == family && c.Table == table && c.Name == name);

    /// <summary>Parses the JSON; throws <see cref="FormatException"/> when it is not nft's ruleset JSON.</summary>
    public static NftRuleset Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
                throw new FormatException("no 'nftables' array");
            var chains = new List<(string Family, string Table, string Name, string? Hook, string Policy)>();
            var rules = new Dictionary<(string, string, string), List<NftRule>>();
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("chain", out var chain))
                {
                    var key = (Text(chain, "family"), Text(chain, "table"), Text(chain, "name"));
                    chains.Add((key.Item1, key.Item2, key.Item3,
                        chain.TryGetProperty("hook", out var hook) ? hook.GetString() : null,
                        chain.TryGetProperty("policy", out var policy) ? policy.GetString() ?? "accept" : "accept"));
                }
                else if (item.TryGetProperty("rule", out var rule))
                {
                    var key = (Text(rule, "family"), Text(rule, "table"), Text(rule, "chain"));
                    if (!rules.TryGetValue(key, out var list))
                        rules[key] = list = [];
                    list.Add(Rule(rule));
                }
            }
            return new NftRuleset(chains
                .Select(c => new NftChain(c.Family, c.Table, c.Name, c.Hook, c.Policy,
                    rules.TryGetValue((c.Family, c.Table, c.Name), out var list) ? list : []))
                .ToList());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"not nft's JSON ruleset: {e.Message}", e);
        }
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";

    private static NftRule Rule(JsonElement rule)
    {
        var handle = rule.TryGetProperty("handle", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetInt64() : 0;
        var matches = new List<NftMatch>();
        string? verdict = null, target = null;
        var masquerades = false;
        if (rule.TryGetProperty("expr", out var expressions) && expressions.ValueKind == JsonValueKind.Array)
            foreach (var expression in expressions.EnumerateArray())
                foreach (var statement in expression.EnumerateObject())
                    switch (statement.Name)
                    {
                        case "match":
                            matches.Add(Match(statement.Value));
                            break;
                        case "accept" or "drop" or "reject" or "return":
                            verdict = statement.Name;
                            break;
                        case "jump" or "goto":
                            verdict = statement.Name;
                            target = statement.Value.TryGetProperty("target", out var t) ? t.GetString() : null;
                            break;
                        case "masquerade":
                            masquerades = true;
                            break;
                        case "limit" or "quota" or "xt" or "set" or "map" or "vmap":
                            // rate limits and the like decide per packet; a verdict map picks the verdict itself
                            matches.Add(new NftMatch(NftMatchKind.Other, false));
                            break;
                    }
        return new NftRule(handle, matches, verdict, target, masquerades);
    }

    private static NftMatch Match(JsonElement match)
    {
        var op = match.TryGetProperty("op", out var o) ? o.GetString() : "==";
        if (op is not ("==" or "!=" or "in") || !match.TryGetProperty("left", out var left) || !match.TryGetProperty("right", out var right))
            return new NftMatch(NftMatchKind.Other, false);
        var negated = op == "!=";
        var values = Values(right).ToList();
        if (values.Any(v => v.Word is { } w && w.StartsWith('@')))
            return new NftMatch(NftMatchKind.Other, negated); // a named set: its contents are elsewhere
        var words = values.Where(v => v.Word is not null).Select(v => v.Word!).ToList();
        var numbers = values.Where(v => v.Word is null).Select(v => (v.First, v.Last)).ToList();

        if (left.TryGetProperty("payload", out var payload) && payload.TryGetProperty("field", out var field))
        {
            var protocol = payload.TryGetProperty("protocol", out var p) ? p.GetString() : null;
            if (field.GetString() == "dport" && protocol is "tcp" or "udp" or "th" && words.Count == 0)
                return new NftMatch(NftMatchKind.DestinationPort, negated, protocol) { Ports = numbers };
            if (field.GetString() == "protocol" && protocol == "ip")
                return new NftMatch(NftMatchKind.Protocol, negated) { Words = [.. words, .. numbers.Select(n => ProtocolName(n.First))] };
            return new NftMatch(NftMatchKind.Other, negated);
        }
        if (left.TryGetProperty("meta", out var meta) && meta.TryGetProperty("key", out var key))
            return key.GetString() switch
            {
                "l4proto" => new NftMatch(NftMatchKind.Protocol, negated) { Words = [.. words, .. numbers.Select(n => ProtocolName(n.First))] },
                "iifname" or "iif" => new NftMatch(NftMatchKind.InputInterface, negated) { Words = words },
                "oifname" or "oif" => new NftMatch(NftMatchKind.OutputInterface, negated) { Words = words },
                _ => new NftMatch(NftMatchKind.Other, negated),
            };
        if (left.TryGetProperty("ct", out var ct) && ct.TryGetProperty("key", out var ctKey) && ctKey.GetString() == "state")
            return new NftMatch(NftMatchKind.ConnectionState, negated) { Words = words };
        return new NftMatch(NftMatchKind.Other, negated);
    }

    private static string ProtocolName(int number) => number switch { 6 => "tcp", 17 => "udp", 1 => "icmp", _ => number.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static IEnumerable<(string? Word, int First, int Last)> Values(JsonElement right)
    {
        switch (right.ValueKind)
        {
            case JsonValueKind.Number:
                var n = right.GetInt32();
                yield return (null, n, n);
                break;
            case JsonValueKind.String:
                yield return (right.GetString(), 0, 0);
                break;
            case JsonValueKind.Array:
                foreach (var item in right.EnumerateArray())
                    foreach (var value in Values(item))
                        yield return value;
                break;
            case JsonValueKind.Object:
                if (right.TryGetProperty("set", out var set))
                    foreach (var value in Values(set))
                        yield return value;
                else if (right.TryGetProperty("range", out var range) && range.GetArrayLength() == 2
                         && range[0].ValueKind == JsonValueKind.Number && range[1].ValueKind == JsonValueKind.Number)
                    yield return (null, range[0].GetInt32(), range[1].GetInt32());
                else
                    yield return ("@unknown", 0, 0); // an expression the doctor does not evaluate
                break;
        }
    }
}
