namespace MyVpn.Sim.Checkers;

/// <summary>Invariant violations found while a run goes on, in the order found, each with its time.</summary>
internal sealed class Violations
{
    private readonly List<string> _found = [];

    public IReadOnlyList<string> All => _found;
    public bool Any => _found.Count > 0;
    public string? First => _found.Count > 0 ? _found[0] : null;

    public void Report(long time, string checker, string message) =>
        _found.Add($"t={Trace.FormatTime(time)} [{checker}] {message}");
}
