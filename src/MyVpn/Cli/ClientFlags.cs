namespace MyVpn.Cli;

/// <summary>The client's command-line flags as given (null: not given).</summary>
internal sealed record ClientFlags(
    string? Config = null, string? Server = null, string? KeyFile = null, string? Name = null,
    bool DefaultRoute = false, string? Tun = null, string? LogLevel = null, string? KeyLog = null, bool NoOffload = false,
    string? Threads = null)
{
    /// <summary><c>--metrics-listen</c>.</summary>
    public string? MetricsListen { get; init; }
}
