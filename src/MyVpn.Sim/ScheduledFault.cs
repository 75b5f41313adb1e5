namespace MyVpn.Sim;

/// <summary>
/// One fault at <see cref="At"/> (from the start of the chaos phase), on client <see cref="Client"/> where it applies,
/// lasting <see cref="Duration"/> where it lasts. <see cref="Variant"/> (0-999, drawn with the rest) picks among a
/// kind's forms: which error, which direction, which host.
/// </summary>
internal sealed record ScheduledFault(TimeSpan At, FaultKind Kind, int Client, TimeSpan Duration, int Variant = 0)
{
    public override string ToString() => Kind switch
    {
        FaultKind.ServerRestart => $"server-restart@{At.TotalSeconds:0.000}s",
        FaultKind.Forgery => $"forgery@{At.TotalSeconds:0.000}s",
        FaultKind.Partition => $"partition(client {Client}, {Duration.TotalSeconds:0.0}s)@{At.TotalSeconds:0.000}s",
        FaultKind.Roam => $"roam(client {Client})@{At.TotalSeconds:0.000}s",
        FaultKind.ClientRestart => $"client-restart(client {Client})@{At.TotalSeconds:0.000}s",
        FaultKind.SendFailure => Scenarios.SendFailureFault.Describe(this),
        FaultKind.Rekey or FaultKind.Reload => Scenarios.RekeyReloadFaults.Describe(this),
        FaultKind.MoveServer => Scenarios.ChaosScenario.NameUpdate(this) is var update && update == Scenarios.ServerNameUpdate.AtOnce
            ? $"move-server(name at once)@{At.TotalSeconds:0.000}s"
            : $"move-server(name {update.ToString().ToLowerInvariant()} for {Duration.TotalSeconds:0.0}s)@{At.TotalSeconds:0.000}s",
        _ => $"{Name(Kind)}(client {Client}, {Duration.TotalSeconds:0.0}s, variant {Variant})@{At.TotalSeconds:0.000}s",
    };

    /// <summary>The kind in the trace's words: <c>WallClockStep</c> is <c>wall-clock-step</c>.</summary>
    public static string Name(FaultKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
