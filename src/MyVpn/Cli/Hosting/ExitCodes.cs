namespace MyVpn.Cli.Hosting;

/// <summary>What the process exit status means (documented in docs/operations.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Setup failed: bad configuration, not root, tun missing, address in use…</summary>
    public const int SetupFailed = 1;
    /// <summary>`--check`: the configuration is not valid (one line on standard error says where and why).</summary>
    public const int ConfigInvalid = 2;
    /// <summary>The server refused this client's name or key; retrying will not help.</summary>
    public const int AuthenticationFailed = 3;
    /// <summary>`myvpn pcap`: the capture shows a problem (a repeated IV, a malformed handshake, a datagram that fails authentication).</summary>
    public const int CaptureProblem = 4;
    /// <summary>The tun device vanished under the running daemon; a restart (systemd's Restart=on-failure) creates it again.</summary>
    public const int TunDeviceGone = 5;
}
