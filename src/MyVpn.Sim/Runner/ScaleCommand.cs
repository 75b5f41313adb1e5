using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary><c>scale --clients N</c>: N clients connect one after another, then each pings the server.</summary>
internal static class ScaleCommand
{
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
