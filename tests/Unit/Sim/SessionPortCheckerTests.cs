using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Checkers;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The session-port checker: grants and the server's datagrams use the ports of the server's mode, and a
/// session's datagrams go to its own client's host. Each rule is shown failing, and both modes pass a chaos seed.
/// </summary>
public sealed class SessionPortCheckerTests
{
    private const ushort OnePort = 9525;
    private static readonly NetEndpoint Server = new(IPv4Address.Parse("198.51.100.1"), OnePort);
    private static readonly NetEndpoint Pc1 = new(IPv4Address.Parse("192.0.2.2"), 5000);
    private static readonly NetEndpoint Pc2 = new(IPv4Address.Parse("192.0.2.3"), 5000);

    private static SessionGrant Grant(uint session, ushort port) =>
        new(session, IPv4Address.Parse("10.0.0.2"), 24, IPv4Address.Parse("10.0.0.1"), port, 1420, TimeSpan.FromSeconds(10));

    private static WireEvent FromServer(ushort port, string to, NetEndpoint target, uint session)
    {
        var bytes = new byte[WireFormat.IvLength + WireFormat.TagLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, session);
        return new WireEvent(0, WireKind.Udp, "s1", Server with { Port = port }, to, target, bytes, "deliver");
    }

    [Fact]
    public void In_one_port_mode_a_grant_of_another_port_is_caught()
    {
        var violations = new Violations();
        var checker = new SessionPortChecker(violations, "s1", OnePort, 40000, 40999);

        checker.OnGranted(0, "pc1", Grant(0x11, OnePort));
        Assert.False(violations.Any);
        checker.OnGranted(0, "pc2", Grant(0x22, 40000));

        Assert.Contains("pc2 was granted udp port 40000, not the one port 9525", violations.First);
    }

    [Fact]
    public void With_a_port_per_session_a_grant_of_the_handshake_port_is_caught()
    {
        var violations = new Violations();
        var checker = new SessionPortChecker(violations, "s1", 0, 40000, 40999);

        checker.OnGranted(0, "pc1", Grant(0x11, 40999));
        Assert.False(violations.Any);
        checker.OnGranted(0, "pc2", Grant(0x22, OnePort));

        Assert.Contains("not a session port (40000-40999)", violations.First);
    }

    [Fact]
    public void In_one_port_mode_a_server_datagram_from_another_port_is_caught()
    {
        var violations = new Violations();
        var checker = new SessionPortChecker(violations, "s1", OnePort, 40000, 40999);
        checker.OnGranted(0, "pc1", Grant(0x11, OnePort));

        checker.OnWire(FromServer(OnePort, "pc1", Pc1, 0x11));
        Assert.False(violations.Any);
        checker.OnWire(FromServer(40000, "pc1", Pc1, 0x11));

        Assert.Contains("s1 sent a datagram from udp port 40000", violations.First);
        Assert.Equal(2, checker.Checked);
    }

    [Fact]
    public void A_sessions_datagram_sent_to_another_clients_host_is_caught()
    {
        var violations = new Violations();
        var checker = new SessionPortChecker(violations, "s1", OnePort, 40000, 40999);
        checker.OnGranted(0, "pc1", Grant(0x11, OnePort));
        checker.OnGranted(0, "pc2", Grant(0x22, OnePort));

        checker.OnWire(FromServer(OnePort, "pc2", Pc2, 0x22));
        checker.OnWire(FromServer(OnePort, "pc1", Pc1, 0xdead)); // an id no client was granted: not the checker's to judge
        Assert.False(violations.Any);
        checker.OnWire(FromServer(OnePort, "pc2", Pc2, 0x11));

        Assert.Contains("s1 sent a datagram of pc1's session 00000011 to pc2", violations.First);
    }

    [Fact]
    public void Datagrams_of_other_hosts_and_stream_segments_are_not_the_checkers()
    {
        var violations = new Violations();
        var checker = new SessionPortChecker(violations, "s1", OnePort, 40000, 40999);
        checker.OnGranted(0, "pc1", Grant(0x11, OnePort));

        checker.OnWire(new WireEvent(0, WireKind.Udp, "pc1", Pc1, "s1", Server with { Port = 1 }, new byte[40], "deliver"));
        checker.OnWire(FromServer(OnePort, "pc1", Pc1, 0x11) with { Kind = WireKind.Tcp, Source = Server with { Port = 1 } });

        Assert.False(violations.Any);
        Assert.Equal(0, checker.Checked);
    }

    [Theory]
    [InlineData(41ul)] // odd: one-port mode
    [InlineData(42ul)] // even: a port per session
    public void Clients_of_each_mode_pinging_each_other_under_forgery_pass_with_every_grant_and_server_datagram_checked(ulong seed)
    {
        var net = SeedNetwork.Connected(seed, new SeedNetworkOptions { SinglePort = ChaosScenario.SinglePortFor(seed), ClientCount = 3 });
        net.Attacker.Strike(200);
        foreach (var client in net.Clients)
            foreach (var other in net.Clients.Where(c => c != client))
                Assert.True(net.Ping(client.Host, other.Grant!.ClientAddress)?.Replied, $"{client.Name} -> {other.Name}");
        net.Clock.RunFor(TimeSpan.FromSeconds(30));

        Assert.Equal(3, net.SessionPorts.Grants);
        Assert.True(net.SessionPorts.Checked > 10, $"{net.SessionPorts.Checked} server datagrams checked");
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }
}
