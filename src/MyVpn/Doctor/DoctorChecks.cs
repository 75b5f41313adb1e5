namespace MyVpn.Doctor;

/// <summary>The checks of <c>myvpn doctor</c>, in the order their lines are printed: the host's first, then each side's.</summary>
public static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck<HostFacts>> Host { get; } = [new RootUserCheck(), new TunNodeCheck(), new ConfigCheck()];

    public static IReadOnlyList<IDoctorCheck<ServerFacts>> Server { get; } =
    [
        new ForwardingCheck(), new MasqueradeCheck(), new OutsideInterfaceCheck(), new PortOwnerCheck(), new FirewallCheck(), new ServerMtuCheck(),
    ];

    public static IReadOnlyList<IDoctorCheck<ClientFacts>> Client { get; } =
    [
        new TcpReachCheck(), new UdpReachCheck(), new ClientMtuCheck(), new FullTunnelLeakCheck(),
    ];

    public static IReadOnlyList<DoctorLine> Run(ServerFacts facts) =>
        [.. DoctorReport.Run(facts.Host, Host), .. DoctorReport.Run(facts, Server)];

    public static IReadOnlyList<DoctorLine> Run(ClientFacts facts) =>
        [.. DoctorReport.Run(facts.Host, Host), .. DoctorReport.Run(facts, Client)];
}
