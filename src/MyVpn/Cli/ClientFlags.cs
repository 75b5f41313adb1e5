namespace MyVpn.Cli;

/// <summary>The client's command-line flags as given (null: not given).</summary>
internal sealed record ClientFlags(
    string? Config = null, string? Server = null, string? KeyFile = null, string? Name = null,
    bool DefaultRoute = false, string? Tun = null, string? LogLevel = null, string? KeyLog = null, bool NoOffload = false,
    string? Threads = null)
{
    /// <summary>--no-pushed-routes: install none of the routes the server pushes.</summary>
    public bool NoPushedRoutes { get; init; }

    /// <summary>--no-pushed-dns: leave the resolver alone whatever DNS the server pushes.</summary>
    public bool NoPushedDns { get; init; }

    /// <summary><c>--fwmark</c>.</summary>
    public string? FirewallMark { get; init; }

    /// <summary><c>--metrics-listen</c>.</summary>
    public string? MetricsListen { get; init; }

    /// <summary><c>--mtu</c>.</summary>
    public string? Mtu { get; init; }
}
