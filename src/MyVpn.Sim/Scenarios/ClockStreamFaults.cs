namespace MyVpn.Sim.Scenarios;

/// <summary>
/// The faults at the engines' clocks and handshake streams, as <see cref="ChaosScenario"/> strikes them.
/// <see cref="ScheduledFault.Variant"/> picks the host (the server for a quarter of the variants, else the
/// fault's client), and the form: direction, size, the byte count of a cut.
/// </summary>
internal static class ClockStreamFaults
{
    /// <summary>How far a wall clock step goes: a minute to forty days (a dead RTC battery, a wrong time zone, NTP's first sync).</summary>
    private static readonly TimeSpan[] StepSizes =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(7), TimeSpan.FromHours(1), TimeSpan.FromHours(5),
        TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(40),
    ];

    /// <summary>A cut falls somewhere in the first messages of either direction (each side sends about 200 bytes).</summary>
    public const int MaxCutBytes = 220;

    /// <summary>Which host a variant picks: the server for variants below 250, else the fault's client.</summary>
    public static SimHost HostFor(SeedNetwork seedNetwork, ScheduledFault fault) =>
        fault.Variant < 250 ? seedNetwork.Server : seedNetwork.Clients[fault.Client].Host;

    /// <summary>The step of a <see cref="FaultKind.WallClockStep"/>: back for odd variants, forward for even, by one of <see cref="StepSizes"/>.</summary>
    public static TimeSpan StepFor(int variant) =>
        (variant % 2 == 1 ? -1 : 1) * StepSizes[variant / 2 % StepSizes.Length];

    /// <summary>A host's wall clock jumps; nothing in the engines reads it, and nothing may change.</summary>
    public static void StepWallClock(SeedNetwork seedNetwork, ScheduledFault fault)
    {
        var host = HostFor(seedNetwork, fault);
        var step = StepFor(fault.Variant);
        host.Time.StepWall(step);
        seedNetwork.Network.Note($"{host.Name}'s wall clock steps {(step < TimeSpan.Zero ? "back" : "forward")} by {step.Duration()}: now {host.Time.GetUtcNow():O}");
    }

    /// <summary>A host stops for the fault's duration (or until the heal).</summary>
    public static void Pause(SeedNetwork seedNetwork, ScheduledFault fault) =>
        HostFor(seedNetwork, fault).Pause(fault.Duration);

    /// <summary>
    /// The client's handshake streams opened during the fault are reset (or stall) part-way: the direction from
    /// the variant's parity, the byte count from the rest. The client is asked to rekey at once, so a stream is
    /// there to be cut (its session stays up meanwhile); restarts and roams in the window add more.
    /// </summary>
    public static void CutStreams(SeedNetwork seedNetwork, ScheduledFault fault, bool reset)
    {
        var client = seedNetwork.Clients[fault.Client];
        client.Host.CutStreams(reset, serverToClient: fault.Variant % 2 == 1, afterBytes: fault.Variant / 2 % MaxCutBytes, fault.Duration);
        var engine = client.Engine;
        client.Host.RunOrDefer(() => engine?.Rehandshake());
    }
}
