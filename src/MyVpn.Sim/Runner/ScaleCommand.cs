using System.CommandLine;
using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary>
/// <c>scale --clients N</c>: N clients connect, ping the server and each other, hold their sessions idle
/// (keepalives only) past the session timeout and ping again; then the server's memory per idle session
/// is measured (<see cref="ScaleScenario"/>, <see cref="ServerFootprint"/>).
/// </summary>
internal static class ScaleCommand
{
    public static Command Build()
    {
        var seed = CommandLine.SeedOption(fallback: 1);
        var clients = CommandLine.IntOption("--clients", "How many clients connect", 1000, 1, 60000);
        var command = new Command("scale", """
            N clients connect one after another over clean links; each pings the server's VPN address and
            the next client; every session then sits idle (keepalives only) past the session timeout, and
            every client pings the server again. Then the server's memory per idle session is measured:
            live heaps (managed and C) after full collections with the server engine, minus the same after
            it is disposed and let go, minus an empty server's share, divided by N.
            Reports the virtual time the connections took, the pings answered, the keepalives, the events
            run, the wall time (the only figure that depends on the machine) and that memory.
            Exit status: 0 every client connected, pinged, held its session and pinged again, and no
            invariant broke; 1 otherwise.
            """)
        {
            seed, clients,
        };
        command.SetAction(result => Run(result.GetValue(seed), result.GetValue(clients), result.InvocationConfiguration.Output, TimeProvider.System));
        return command;
    }

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
