namespace MyVpn.Sim;

/// <summary>One fault at <see cref="At"/> (from the start of the chaos phase), on client <see cref="Client"/> where it applies.</summary>
internal sealed record ScheduledFault(TimeSpan At, FaultKind Kind, int Client, TimeSpan Duration)
{
    public override string ToString() => Kind switch
    {
        FaultKind.ServerRestart => $"server-restart@{At.TotalSeconds:0.000}s",
        FaultKind.Forgery => $"forgery@{At.TotalSeconds:0.000}s",
        FaultKind.Partition => $"partition(client {Client}, {Duration.TotalSeconds:0.0}s)@{At.TotalSeconds:0.000}s",
        _ => $"{(Kind == FaultKind.Roam ? "roam" : "client-restart")}(client {Client})@{At.TotalSeconds:0.000}s",
    };
}
