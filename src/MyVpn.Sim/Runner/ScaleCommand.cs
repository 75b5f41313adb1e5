using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary>
/// <c>scale --clients N</c>: N clients connect, ping the server and each other, hold their sessions idle
/// (keepalives only) past the session timeout and ping again; then the server's memory per idle session
/// is measured (<see cref="ScaleScenario"/>, <see cref="ServerFootprint"/>).
/// </summary>
internal static class ScaleCommand
{
    /// <param name="wallClock">Only for the report's "wall time"; the simulated world runs on its own clock.</param>
    public static int Run(ulong seed, int clients, TextWriter output, TimeProvider wallClock)
    {
        var start = wallClock.GetTimestamp();
        var report = ScaleScenario.Run(seed, clients, measureMemory: true, output);
        output.WriteLine($"{report.Events} events, {wallClock.GetElapsedTime(start).TotalSeconds:0.0} s of wall time");
        output.WriteLine(report.Violation ?? "invariants: ok");
        if (report is { Footprint: { } full, EmptyFootprint: { } empty })
        {
            var (managed, native, total) = full.PerSession(empty);
            output.WriteLine($"server memory per idle session: {total} B ({total / 1024.0:0.0} KiB): managed heap {managed} B, " +
                             $"C heap {(native is { } n ? $"{n} B" : "not measured")}");
            output.WriteLine($"  how: live heaps after full blocking compacting GCs with the server engine holding {full.Sessions} sessions, minus the same " +
                             $"after the engine is disposed and let go ({full.ManagedBytes} B managed, {full.NativeBytes?.ToString() ?? "-"} B C heap), " +
                             $"minus an empty server's share measured the same way ({empty.ManagedBytes} B, {empty.NativeBytes?.ToString() ?? "-"} B), " +
                             $"divided by {full.Sessions}; the simulated clients, network and config are in both readings and cancel out");
        }
        return report.Passed ? 0 : 1;
    }
}
