using MyVpn.Net;
using MyVpn.Server;

namespace MyVpn.Sim.Scenarios;

/// <summary>The shape of a <see cref="SeedNetwork"/>: how many clients, the VPN subnet and ports, the faults.</summary>
internal sealed record SeedNetworkOptions
{
    /// <summary>pc1 … pcN. Two for the seed network; a thousand for the scale scenario.</summary>
    public int ClientCount { get; init; } = 2;

    /// <summary>The VPN subnet and session ports: the daemon's defaults.</summary>
    public IPv4Subnet Subnet { get; init; } = VpnServerOptions.DefaultSubnet;

    /// <summary>The VPN's IPv6 subnet (<see cref="VpnServerOptions.Subnet6"/>); null (the default): IPv4 only.</summary>
    public IPv6Subnet? Subnet6 { get; init; }

    /// <summary>The IPv6 subnet the simulator uses when IPv6 is turned on (<c>--ipv6</c>).</summary>
    public static readonly IPv6Subnet DefaultSubnet6 = IPv6Subnet.Parse("fd00:5eed::/64");
    public ushort FirstPort { get; init; } = Protocol.WireFormat.DefaultFirstSessionPort;
    public ushort LastPort { get; init; } = Protocol.WireFormat.DefaultLastSessionPort;
    public int MaxPendingHandshakes { get; init; } = VpnServerOptions.DefaultMaxPendingHandshakes;

    /// <summary>The server's rekey interval (<see cref="VpnServerOptions.RekeyInterval"/>).</summary>
    public TimeSpan RekeyInterval { get; init; } = VpnServerOptions.DefaultRekeyInterval;

    /// <summary>
    /// One-port mode: the server gives every session the handshake port's number
    /// (<see cref="VpnServerOptions.SinglePort"/>), and the attacker also forges datagrams under other
    /// sessions' ids (<see cref="SimAttacker.SwapsSessionIds"/>).
    /// </summary>
    public bool SinglePort { get; init; }

    /// <summary>
    /// The server's name (dynamic DNS): the clients look it up in the network's name table before each
    /// session (<see cref="SimResolver"/>) instead of using the server's address. Null: they use the address.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>Receives every session's data keys, from the server and from each client (their --keylog).</summary>
    public Action<Protocol.SessionKeys>? KeyLog { get; init; }

    /// <summary>Faults of every client↔server link (the server↔internet link stays clean).</summary>
    public LinkFaults Faults { get; init; } = LinkFaults.None;

    /// <summary>Keep every trace line (off for sweeps: only the fingerprint and the last lines are kept).</summary>
    public bool KeepTrace { get; init; } = true;

    /// <summary>Where every trace line is also written as it is recorded, from the first (<c>run</c>'s echo and --trace).</summary>
    public IReadOnlyList<TextWriter> TraceCopies { get; init; } = [];

    /// <summary>Where engine log lines go (with virtual time), if anywhere; never part of the trace's fingerprint.</summary>
    public TextWriter? EngineLog { get; init; }

    /// <summary>Options for N clients in 10.0.0.0/16 with a port per client.</summary>
    public static SeedNetworkOptions Scale(int clients) => new()
    {
        ClientCount = clients,
        Subnet = IPv4Subnet.Parse("10.0.0.0/16"),
        FirstPort = 20000,
        LastPort = (ushort)(20000 + clients + 999),
        MaxPendingHandshakes = 256,
        KeepTrace = false,
    };
}
