using System.CommandLine;
using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary><c>scale --clients N</c>: N clients connect one after another, then each pings the server.</summary>
internal static class ScaleCommand
{
    public static Command Build()
    {
        var seed = CommandLine.SeedOption(fallback: 1);
        var clients = CommandLine.IntOption("--clients", "How many clients connect", 1000, 1, 60000);
        var command = new Command("scale", """
            N clients connect one after another over clean links, then each pings the server's VPN address.
            Reports the virtual time the connections took, the pings answered, the events run and the
            wall time (the only figure that depends on the machine).
            Exit status: 0 every ping answered and no invariant broke; 1 otherwise.
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
        var net = SeedNetwork.Connected(seed, SeedNetworkOptions.Scale(clients));
        var connected = wallClock.GetElapsedTime(start);
        output.WriteLine($"{clients} clients connected by t={Trace.FormatTime(net.Network.Now)} ({connected.TotalSeconds:0.0} s of wall time)");
        var pings = net.Clients.Select(c => net.Network.StartPing(c.Host, net.ServerVpnAddress)).ToList();
        net.Clock.RunFor(TimeSpan.FromSeconds(5));
        var answered = pings.Count(p => p is { Replied: true });
        output.WriteLine($"{answered}/{clients} pings to {net.ServerVpnAddress} answered; {net.Network.Clock.Events.Executed} events; " +
                         $"{(wallClock.GetElapsedTime(start) - connected).TotalSeconds:0.0} s for the pings");
        output.WriteLine(net.Network.Violations.First ?? "invariants: ok");
        return answered == clients && !net.Network.Violations.Any ? 0 : 1;
    }
}
