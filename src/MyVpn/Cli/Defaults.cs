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
    public const string ClientName = "default";
}
