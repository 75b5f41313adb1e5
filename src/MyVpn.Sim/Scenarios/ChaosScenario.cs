namespace MyVpn.Sim.Scenarios;

/// <summary>
/// One random run, all drawn from the seed: 2–4 clients connect over faulty links; during a chaos
/// phase they ping each other, the server and the internet while the drawn faults strike (server
/// restart, roaming, client restart); then the network heals and, within a bounded virtual time,
/// every client must reach every other client and 8.8.8.8 (liveness). The checkers watch throughout.
/// The seed also picks the mode (<see cref="SinglePortFor"/>) and the families (<see cref="Ipv6For"/>).
/// With IPv6 on, the server has a subnet6, half the pings of the chaos phase are ICMPv6, and liveness also
/// asks every client to reach every other one and the internet host over IPv6.
/// </summary>
internal static class ChaosScenario
{
    public static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ChaosDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LivenessLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a rekey asked for may still take once liveness is shown (within the rekey interval, so only the ask makes it happen).</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    /// <summary>The server's name: clients look it up before each handshake, so they follow the server when it moves.</summary>
    public const string ServerName = "vpn.example.org";

    /// <summary>Draws the client count and fault plan of <paramref name="seed"/> (what <c>run</c> prints first).</summary>
    public static (int Clients, FaultPlan Plan) Draw(ulong seed)
    {
        var random = new SimRandom(seed).Fork("scenario");
        var clients = (int)random.NextInRange(2, 4);
        return (clients, FaultPlan.Draw(random.Fork("faults"), ChaosDuration, clients));
    }

    /// <summary>
    /// Whether the seed's server runs in one-port mode: odd seeds do, even seeds give each session its own
    /// port, so a sweep covers both and a seed replays in its own mode. Drawn from nothing else.
    /// </summary>
    public static bool SinglePortFor(ulong seed) => seed % 2 == 1;

    /// <summary>
    /// Whether the seed's run has IPv6 inside the tunnel too: seeds that are 2 or 3 modulo 4 do, the others
    /// are IPv4 only, so a sweep covers both families in both port modes and a seed replays in its own
    /// family. Drawn from nothing else.
    /// </summary>
    public static bool Ipv6For(ulong seed) => seed % 4 is 2 or 3;

    /// <param name="echo">Where the trace and the engines' log lines are printed as they happen (<c>run</c> without --quiet).</param>
    /// <param name="singlePort">One-port mode or not; null: as <see cref="SinglePortFor"/> says for the seed.</param>
    /// <param name="recorders">What else to write down: the trace alone, the wire, the keys.</param>
    /// <param name="ipv6">IPv6 inside the tunnel too (<see cref="SeedNetworkOptions.DefaultSubnet6"/>), pinged over both families;
    /// null: as <see cref="Ipv6For"/> says for the seed.</param>
    public static ScenarioResult Run(ulong seed, TextWriter? echo = null, bool? singlePort = null, ScenarioRecorders? recorders = null,
        bool? ipv6 = null)
    {
        var (clientCount, plan) = Draw(seed);
        var withIpv6 = ipv6 ?? Ipv6For(seed);
        var seedNetwork = SeedNetwork.Build(seed, new SeedNetworkOptions
        {
            SinglePort = singlePort ?? SinglePortFor(seed),
            ServerName = ServerName,
            ClientCount = clientCount,
            Faults = plan.Links,
            KeepTrace = false,
            EngineLog = echo,
            Subnet6 = withIpv6 ? SeedNetworkOptions.DefaultSubnet6 : null,
            KeyLog = recorders?.KeyLog,
            TraceCopies = new[] { echo, recorders?.Trace }.OfType<TextWriter>().ToList(),
        });
        var network = seedNetwork.Network;
        if (recorders?.Wire is { } wire)
            network.Trace.Observe(wire);
        string? failure;
        TimeSpan? recovery = null;
        try
        {
            failure = Connect(seedNetwork) ?? Chaos(seedNetwork, plan) ?? Liveness(seedNetwork, out recovery) ?? Settle(seedNetwork);
        }
        catch (Exception e)
        {
            failure = $"t={Trace.FormatTime(network.Now)} exception: {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
        failure = network.Violations.First ?? failure;
        return new ScenarioResult(seed, clientCount, plan, failure, network.Trace.Fingerprint, network.Trace.LineCount,
            network.Clock.Elapsed, network.Pings.All.Count + network.Pings.All6.Count,
            network.Pings.All.Count(p => p.Replied) + network.Pings.All6.Count(p => p.Replied), recovery, network.Trace.Tail(20))
        {
            Ipv6 = withIpv6,
        };
    }

    /// <summary>Clients start in order, each given a while to connect through the faults (not required yet).</summary>
    private static string? Connect(SeedNetwork seedNetwork)
    {
        foreach (var client in seedNetwork.Clients)
            seedNetwork.Connect(client, ConnectLimit);
        return seedNetwork.Network.Violations.First;
    }

    private static string? Chaos(SeedNetwork seedNetwork, FaultPlan plan)
    {
        var network = seedNetwork.Network;
        var clock = seedNetwork.Clock;
        foreach (var fault in plan.Events)
            clock.Schedule(fault.At, () => Strike(seedNetwork, fault));

        var workload = network.Random.Fork("workload");
        var end = network.Now + ChaosDuration.Ticks;
        while (true)
        {
            var pause = TimeSpan.FromMilliseconds(workload.NextInRange(50, 1000));
            if (network.Now + pause.Ticks >= end)
                break;
            clock.RunFor(pause);
            var from = seedNetwork.Clients[(int)workload.Next(seedNetwork.Clients.Count)];
            if (seedNetwork.ServerVpnAddress6 is not null && workload.Chance(500))
            {
                if (PickTarget6(seedNetwork, from, workload) is { } target6)
                    network.StartPing6(from.Host, target6);
            }
            else if (PickTarget(seedNetwork, from, workload) is { } target)
            {
                network.StartPing(from.Host, target);
            }
        }
        clock.RunFor(TimeSpan.FromTicks(end - network.Now));
        return network.Violations.First;
    }

    private static void Strike(SeedNetwork seedNetwork, ScheduledFault fault)
    {
        var client = seedNetwork.Clients[fault.Client];
        switch (fault.Kind)
        {
            case FaultKind.ServerRestart:
                seedNetwork.RestartServer();
                break;
            case FaultKind.ClientRestart:
                seedNetwork.RestartClient(client);
                break;
            case FaultKind.Roam:
                seedNetwork.Roam(client);
                break;
            case FaultKind.Partition:
                seedNetwork.Partition(client, fault.Duration);
                break;
            case FaultKind.Forgery:
                seedNetwork.Attacker.Strike(50);
                break;
            case FaultKind.SendFailure:
                SendFailureFault.Strike(seedNetwork, client, fault);
                break;
            case FaultKind.WallClockStep:
                ClockStreamFaults.StepWallClock(seedNetwork, fault);
                break;
            case FaultKind.HostPause:
                ClockStreamFaults.Pause(seedNetwork, fault);
                break;
            case FaultKind.StreamReset:
                ClockStreamFaults.CutStreams(seedNetwork, fault, reset: true);
                break;
            case FaultKind.StreamStall:
                ClockStreamFaults.CutStreams(seedNetwork, fault, reset: false);
                break;
            case FaultKind.TunFailure:
                TunFailure(seedNetwork, fault);
                break;
            case FaultKind.TunWriterStall:
                seedNetwork.StallTunWriter(TunHost(seedNetwork, fault), fault.Duration);
                break;
            case FaultKind.Reload:
                RekeyReloadFaults.Reload(seedNetwork, fault);
                break;
            case FaultKind.Rekey:
                RekeyReloadFaults.Rekey(seedNetwork, fault);
                break;
            case FaultKind.MoveServer: MoveServer(seedNetwork, fault); break;
        }
    }

    /// <summary>Variant below 500: the device vanishes (the daemon exits and is restarted); else its writes fail, ENOBUFS or EAGAIN.</summary>
    private static void TunFailure(SeedNetwork seedNetwork, ScheduledFault fault)
    {
        var host = TunHost(seedNetwork, fault);
        if (fault.Variant < 500)
            seedNetwork.VanishTun(host, fault.Duration);
        else
            seedNetwork.FailTunWrites(host, fault.Duration, fault.Variant % 2 == 0 ? "ENOBUFS" : "EAGAIN");
    }

    /// <summary>Whose tun a tun fault strikes: the server's for a third of the variants, else the fault's client's.</summary>
    private static SimHost TunHost(SeedNetwork seedNetwork, ScheduledFault fault) =>
        fault.Variant / 10 % 3 == 0 ? seedNetwork.Server : seedNetwork.Clients[fault.Client].Host;

    /// <summary>
    /// The server moves to a new address and reboots; its name follows at once (variant below 500), resolves to
    /// nothing for the fault's duration (below 750), or still gives the old address, now another machine's,
    /// for the duration. Clients look the name up before each handshake, so they follow it.
    /// </summary>
    private static void MoveServer(SeedNetwork seedNetwork, ScheduledFault fault) =>
        seedNetwork.MoveServer(seedNetwork.NextServerAddress(), NameUpdate(fault), fault.Duration);

    /// <summary>How the name follows in a <see cref="FaultKind.MoveServer"/> fault (from its variant).</summary>
    public static ServerNameUpdate NameUpdate(ScheduledFault fault) => fault.Variant switch
    {
        < 500 => ServerNameUpdate.AtOnce,
        < 750 => ServerNameUpdate.Late,
        _ => ServerNameUpdate.Stale,
    };

    private static Net.IPv4Address? PickTarget(SeedNetwork seedNetwork, SeedClient from, SimRandom random)
    {
        var choice = (int)random.Next(seedNetwork.Clients.Count + 1);
        if (choice == seedNetwork.Clients.Count)
            return random.Chance(500) ? SeedNetwork.InternetAddress : seedNetwork.ServerVpnAddress;
        var other = seedNetwork.Clients[choice];
        return other == from ? seedNetwork.ServerVpnAddress : other.VpnAddress;
    }

    private static Net.IPv6Address? PickTarget6(SeedNetwork seedNetwork, SeedClient from, SimRandom random)
    {
        var choice = (int)random.Next(seedNetwork.Clients.Count + 1);
        if (choice == seedNetwork.Clients.Count)
            return random.Chance(500) ? SeedNetwork.InternetAddress6 : seedNetwork.ServerVpnAddress6;
        var other = seedNetwork.Clients[choice];
        return other == from ? seedNetwork.ServerVpnAddress6 : other.VpnAddress6;
    }

    /// <summary>
    /// After liveness: a rekey asked for and not done yet gets up to <see cref="SettleLimit"/> to land (the run goes on
    /// only if one is pending), then the rekey and pushed-settings checkers look at the end state.
    /// </summary>
    private static string? Settle(SeedNetwork seedNetwork)
    {
        var network = seedNetwork.Network;
        if (seedNetwork.Rekeys.Pending.Count > 0)
            seedNetwork.Clock.RunUntil(() => seedNetwork.Rekeys.Pending.Count == 0, SettleLimit);
        seedNetwork.Rekeys.CheckSettled();
        foreach (var client in seedNetwork.Clients)
            seedNetwork.PushedSettings.CheckApplied(client.Name, client.Grant, client.Engine?.Grant);
        return network.Violations.First;
    }

    /// <summary>Faults off; every client must reach every other client and the internet before the deadline.</summary>
    private static string? Liveness(SeedNetwork seedNetwork, out TimeSpan? recovery)
    {
        var network = seedNetwork.Network;
        recovery = null;
        seedNetwork.Heal();
        var healedAt = network.Now;
        var deadline = healedAt + LivenessLimit.Ticks;
        foreach (var from in seedNetwork.Clients)
        {
            var targets = seedNetwork.Clients.Where(c => c != from)
                .Select(c => (Name: c.Name, Address: (Func<Net.IPv4Address?>)(() => c.VpnAddress)))
                .Append((Name: "internet", Address: () => SeedNetwork.InternetAddress));
            foreach (var (name, address) in targets)
            {
                var left = TimeSpan.FromTicks(Math.Max(0, deadline - network.Now));
                if (seedNetwork.PingUntilReplied(from.Host, address, left, RetryInterval) is null)
                    return $"t={Trace.FormatTime(network.Now)} liveness: {from.Name} could not reach {name} ({address()?.ToString() ?? "no address"}) " +
                           $"within {LivenessLimit.TotalSeconds:0} s after the network healed";
                if (network.Violations.First is { } violation)
                    return violation;
            }
        }
        if (seedNetwork.ServerVpnAddress6 is not null && Liveness6(seedNetwork, deadline) is { } failure)
            return failure;
        recovery = TimeSpan.FromTicks(network.Now - healedAt);
        return null;
    }

    /// <summary>With IPv6: every client must also reach every other client and the internet host over IPv6 before the deadline.</summary>
    private static string? Liveness6(SeedNetwork seedNetwork, long deadline)
    {
        var network = seedNetwork.Network;
        foreach (var from in seedNetwork.Clients)
        {
            var targets = seedNetwork.Clients.Where(c => c != from)
                .Select(c => (Name: c.Name, Address: (Func<Net.IPv6Address?>)(() => c.VpnAddress6)))
                .Append((Name: "internet", Address: () => SeedNetwork.InternetAddress6));
            foreach (var (name, address) in targets)
            {
                var left = TimeSpan.FromTicks(Math.Max(0, deadline - network.Now));
                if (seedNetwork.Ping6UntilReplied(from.Host, address, left, RetryInterval) is null)
                    return $"t={Trace.FormatTime(network.Now)} liveness: {from.Name} could not reach {name} over IPv6 ({address()?.ToString() ?? "no address"}) " +
                           $"within {LivenessLimit.TotalSeconds:0} s after the network healed";
                if (network.Violations.First is { } violation)
                    return violation;
            }
        }
        return null;
    }
}
