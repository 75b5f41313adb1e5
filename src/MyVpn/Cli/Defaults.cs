using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;

namespace MyVpn.Cli;

/// <summary>
/// The defaults the command line documents and applies. Each comes from the one place that owns it: the
/// engines' options (<see cref="VpnServerOptions"/>) and the wire format's ports (<see cref="WireFormat"/>);
/// the text forms the help prints are derived from them. Only what no engine knows (the tun device's name,
/// the client's name) is decided here.
/// </summary>
internal static class Defaults
{
    public const ushort HandshakePort = WireFormat.DefaultHandshakePort;

    /// <summary>Handshakes on every address, on the handshake port.</summary>
    public static readonly NetEndpoint Listen = new(IPv4Address.Parse("0.0.0.0"), HandshakePort);

    public static readonly IPv4Subnet Subnet = VpnServerOptions.DefaultSubnet;
    public const ushort FirstPort = WireFormat.DefaultFirstSessionPort;
    public const ushort LastPort = WireFormat.DefaultLastSessionPort;

    /// <summary>The session port range as a flag takes it: FIRST-LAST.</summary>
    public static readonly string Ports = $"{FirstPort}-{LastPort}";

    public const string Tun = "tun0";

    /// <summary>The metrics endpoint's port when <c>--metrics-listen</c> names only an address (the port registered for MyVpn's exporter).</summary>
    public const ushort MetricsPort = 9586;
    public const int Mtu = VpnServerOptions.DefaultMtu;
    public static readonly TimeSpan Keepalive = VpnServerOptions.DefaultKeepaliveInterval;
    public static readonly TimeSpan RekeyInterval = VpnServerOptions.DefaultRekeyInterval;
    public const string ClientNameHelp = "this machine's host name";

    /// <summary>A duration as the help prints it: whole seconds.</summary>
    public static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A client that gives no name is known by its host name (cut to the handshake's 64 bytes).</summary>
    public static string ClientName()
    {
        var name = Environment.MachineName;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > HandshakeMessage.MaxNameLength)
            name = name[..^1];
        return string.IsNullOrWhiteSpace(name) ? "client" : name;
    }
}
