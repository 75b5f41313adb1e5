using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Sim.Scenarios;

/// <summary>A client machine of a <see cref="SeedNetwork"/>: its host, its options and the engine of its current generation.</summary>
internal sealed class SeedClient(SimHost host, VpnClientOptions options)
{
    public SimHost Host { get; } = host;
    public string Name => Host.Name;
    /// <summary>Its options: the same for every generation, until a reload gives it a new key (<see cref="SeedNetwork.ChangeKey"/>).</summary>
    public VpnClientOptions Options { get; internal set; } = options;
    public VpnClient? Engine { get; internal set; }

    /// <summary>The last session grant (null until the first handshake completes, and after a restart).</summary>
    public SessionGrant? Grant { get; internal set; }

    /// <summary>How many sessions came up so far (every generation counted).</summary>
    public int Connections { get; internal set; }

    public string? AuthenticationFailure { get; internal set; }

    /// <summary>The configuration dropped it at some point while its current engine ran: a refusal may be that removal's.</summary>
    public bool RemovedWhileRunning { get; internal set; }

    /// <summary>The VPN address its tun is configured with, if any.</summary>
    public IPv4Address? VpnAddress => Host.Stack.VpnAddress;

    /// <summary>The IPv6 address its tun is configured with, if any.</summary>
    public IPv6Address? VpnAddress6 => Host.Stack.VpnAddress6;

    public override string ToString() => Name;
}
