namespace MyVpn.Doctor;

/// <summary>
/// Everything the server checks judge, gathered once by the Linux side (<c>myvpn doctor server</c>) or
/// made up by a test. <see cref="Setup"/> is null when the config did not resolve.
/// </summary>
public sealed record ServerFacts
{
    public required HostFacts Host { get; init; }

    public ServerSetup? Setup { get; init; }

    /// <summary>The running server for this tun device in this network namespace, if one runs.</summary>
    public int? RunningPid { get; init; }

    /// <summary>net.ipv4.ip_forward ("0" or "1"); null when it could not be read.</summary>
    public string? Forwarding { get; init; }

    /// <summary><c>nft -j list ruleset</c>; null when it could not be read (<see cref="RulesetProblem"/> says why).</summary>
    public NftRuleset? Ruleset { get; init; }

    public string? RulesetProblem { get; init; }

    /// <summary>The masquerade interface, when one is configured.</summary>
    public InterfaceFacts? Outside { get; init; }

    /// <summary>The device of the route towards the internet (<c>ip route get 1.1.1.1</c>); null with no such route.</summary>
    public InterfaceFacts? InternetRoute { get; init; }

    /// <summary>Sockets bound to the handshake port (TCP) or a session port (UDP), by anyone.</summary>
    public IReadOnlyList<BoundSocket> Sockets { get; init; } = [];
}
