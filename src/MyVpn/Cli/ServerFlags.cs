namespace MyVpn.Cli;

/// <summary>The server's command-line flags as given (null: not given).</summary>
internal sealed record ServerFlags(
    string? Config = null, string? Listen = null, string? Subnet = null, string? KeyFile = null, string? Ports = null,
    string? Masquerade = null, string? Tun = null, string? Mtu = null, string? Keepalive = null, string? LogLevel = null,
    string? KeyLog = null, bool NoOffload = false, string? Threads = null,
    IReadOnlyList<string>? Block = null, IReadOnlyList<string>? Allow = null, bool NoClientToClient = false,
    string? MaxSessions = null, string? RekeyInterval = null)
{
    /// <summary>--push-route, --push-dns and --push-dns-search (each repeatable; added to the file's lists).</summary>
    public IReadOnlyList<string>? PushRoute { get; init; }
    public IReadOnlyList<string>? PushDns { get; init; }
    public IReadOnlyList<string>? PushDnsSearch { get; init; }

    /// <summary><c>--metrics-listen</c>.</summary>
    public string? MetricsListen { get; init; }

    /// <summary><c>--single-port</c>.</summary>
    public bool SinglePort { get; init; }
}
