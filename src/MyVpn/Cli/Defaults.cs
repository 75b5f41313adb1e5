namespace MyVpn.Cli;

/// <summary>The defaults the command line documents.</summary>
internal static class Defaults
{
    public const ushort HandshakePort = 9525;
    public const string Listen = "0.0.0.0:9525";
    public const string Subnet = "10.0.0.0/24";
    public const string Ports = "40000-40999";
    public const string Tun = "tun0";
    public const int Mtu = 1420;
    public const int KeepaliveSeconds = 10;
    public const int RekeyIntervalSeconds = 120;
    public const string ClientNameHelp = "this machine's host name";

    /// <summary>A client that gives no name is known by its host name (cut to the handshake's 64 bytes).</summary>
    public static string ClientName()
    {
        var name = Environment.MachineName;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > Protocol.HandshakeMessage.MaxNameLength)
            name = name[..^1];
        return string.IsNullOrWhiteSpace(name) ? "client" : name;
    }
}
