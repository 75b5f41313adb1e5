using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Sim.Scenarios;

/// <summary>
/// <see cref="FaultKind.Rekey"/> and <see cref="FaultKind.Reload"/> as <see cref="ChaosScenario"/> strikes them.
/// A rekey: the server asks the fault's client to rekey now (variant below 500), or the client handshakes again
/// on its own. A reload (<see cref="ReloadOf"/>): a client is added to the server's configuration, or the fault's
/// client is removed for the fault's duration, or given a new key (it restarts with it), or the pushed settings change.
/// </summary>
internal static class RekeyReloadFaults
{
    /// <summary>What a <see cref="FaultKind.Reload"/> changes, by its variant.</summary>
    public enum ReloadChange
    {
        AddClient,
        RemoveClient,
        ChangeKey,
        ChangePushed,
    }

    public static ReloadChange ReloadOf(int variant) => (ReloadChange)(variant / 250);

    /// <summary>True when the server asks for the rekey; false when the client handshakes again on its own.</summary>
    public static bool ServerAsks(int variant) => variant < 500;

    public static void Rekey(SeedNetwork seedNetwork, ScheduledFault fault)
    {
        var client = seedNetwork.Clients[fault.Client];
        if (ServerAsks(fault.Variant))
            seedNetwork.RequestRekey(client);
        else
            seedNetwork.Rehandshake(client);
    }

    public static void Reload(SeedNetwork seedNetwork, ScheduledFault fault)
    {
        var client = seedNetwork.Clients[fault.Client];
        switch (ReloadOf(fault.Variant))
        {
            case ReloadChange.AddClient:
                seedNetwork.AddClientEntry();
                break;
            case ReloadChange.RemoveClient:
                seedNetwork.RemoveClient(client, fault.Duration);
                break;
            case ReloadChange.ChangeKey:
                seedNetwork.ChangeKey(client);
                break;
            default:
                seedNetwork.Push(PushedFor(fault.Variant));
                break;
        }
    }

    /// <summary>The pushed settings a <see cref="ReloadChange.ChangePushed"/> reload sets: a route and a DNS server from the variant.</summary>
    public static PushedSettings PushedFor(int variant) =>
        new([IPv4Range.Parse($"172.16.{variant % 250}.0/24")], [IPv4Address.Parse($"192.0.2.{variant % 250 + 1}")], [$"v{variant}.example.org"]);

    /// <summary>The fault in a plan's words.</summary>
    public static string Describe(ScheduledFault fault) => fault.Kind == FaultKind.Rekey
        ? $"rekey(client {fault.Client}, {(ServerAsks(fault.Variant) ? "server asks" : "client re-handshakes")})@{fault.At.TotalSeconds:0.000}s"
        : ReloadOf(fault.Variant) switch
        {
            ReloadChange.AddClient => $"reload(client added)@{fault.At.TotalSeconds:0.000}s",
            ReloadChange.RemoveClient => $"reload(client {fault.Client} removed for {fault.Duration.TotalSeconds:0.0}s)@{fault.At.TotalSeconds:0.000}s",
            ReloadChange.ChangeKey => $"reload(client {fault.Client} new key)@{fault.At.TotalSeconds:0.000}s",
            _ => $"reload(pushed settings changed)@{fault.At.TotalSeconds:0.000}s",
        };
}
