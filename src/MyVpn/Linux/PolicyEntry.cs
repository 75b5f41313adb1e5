namespace MyVpn.Linux;

/// <summary>
/// A policy-routing rule or a route in a table of its own, as <c>ip</c> takes it: the family
/// (<c>-4</c> or <c>-6</c>), the object (<c>rule</c> or <c>route</c>) and the arguments, space-separated,
/// that both add and delete exactly it (e.g. <c>-4 rule priority 32765 not fwmark 9525 table 9525</c>).
/// </summary>
internal sealed record PolicyEntry(string Family, string Object, string Arguments)
{
    public static PolicyEntry Rule(string family, string arguments) => new(family, "rule", arguments);

    public static PolicyEntry Route(string family, string arguments) => new(family, "route", arguments);

    /// <summary>The <c>ip</c> arguments for <paramref name="verb"/> (add or del).</summary>
    public IReadOnlyList<string> Command(string verb) => [Family, Object, verb, .. Arguments.Split(' ')];

    /// <summary>For the undo journal: family, object, arguments.</summary>
    public string[] ToJournal() => [Family, Object, Arguments];

    public static PolicyEntry FromJournal(string[] args) => new(args[0], args[1], args[2]);

    public override string ToString() => $"ip {Family} {Object} {Arguments}";
}
