using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>
/// Everything the client checks judge, gathered once by the Linux side (<c>myvpn doctor client</c>) or
/// made up by a test. <see cref="Setup"/> is null when the config did not resolve.
/// </summary>
public sealed record ClientFacts
{
    public required HostFacts Host { get; init; }

    public ClientSetup? Setup { get; init; }

    /// <summary>Why the client daemon is taken to be running ("tun0 exists"); null when it is not.</summary>
    public string? Running { get; init; }

    /// <summary>The tun device when it exists (its MTU is the one in use).</summary>
    public InterfaceFacts? TunDevice { get; init; }

    /// <summary>Null when a TCP connection to the handshake port succeeded; otherwise why not ("Connection refused").</summary>
    public string? TcpProblem { get; init; }

    public UdpProbe Udp { get; init; } = UdpProbe.Skipped("not tried");

    /// <summary>The device of the route towards the server (<c>ip route get SERVER</c>); null with no route.</summary>
    public InterfaceFacts? PathDevice { get; init; }

    /// <summary>The nameservers of /etc/resolv.conf, in order.</summary>
    public IReadOnlyList<IPv4Address> Nameservers { get; init; } = [];

    /// <summary>The IPv6 nameservers of /etc/resolv.conf: a full tunnel carrying IPv4 only never reaches them through tun.</summary>
    public IReadOnlyList<string> IPv6Nameservers { get; init; } = [];

    /// <summary>The main table's IPv4 routes.</summary>
    public IReadOnlyList<RouteEntry> Routes { get; init; } = [];

    /// <summary>The devices of IPv6 default routes.</summary>
    public IReadOnlyList<string> IPv6DefaultRoutes { get; init; } = [];

    /// <summary>Global IPv6 addresses as "2001:db8::2 on eth0".</summary>
    public IReadOnlyList<string> IPv6GlobalAddresses { get; init; } = [];
}
