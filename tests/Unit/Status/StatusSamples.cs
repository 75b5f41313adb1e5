using MyVpn.Cli;
using MyVpn.Cli.Status;
using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Cli;
using MyVpn.Tunnel;

namespace MyVpn.Tests.Unit.Status;

/// <summary>Fixed status reports of a server with two sessions and of a connected client, built the way the daemons build them.</summary>
internal static class StatusSamples
{
    public static StatusReport Server()
    {
        using var files = new TempDirectory();
        var settings = ServerConfig.Resolve(new ServerFlags(KeyFile: files.KeyFile("psk.key"), Listen: "0.0.0.0:9525",
            Subnet: "10.0.0.0/24", Ports: "40000-40999"));
        var drops = new DropCounters();
        for (var i = 0; i < 3; i++)
            drops.Add(DropReason.Replayed);
        drops.Add(DropReason.NoSuchClient);
        drops.Add(DropReason.SpoofedSource);
        SessionInfo[] sessions =
        [
            new("pc1", 0x1a2b3c4d, IPv4Address.Parse("10.0.0.2"), 40000, new NetEndpoint(IPv4Address.Parse("198.51.100.7"), 51820))
            {
                SinceHandshake = TimeSpan.FromSeconds(12.7), RxPackets = 120, RxBytes = 10080, TxPackets = 118, TxBytes = 2_500_000,
                Drops = new Dictionary<DropReason, long> { [DropReason.Replayed] = 3, [DropReason.SpoofedSource] = 1 },
            },
            new("laptop-with-a-long-name", 7, IPv4Address.Parse("10.0.0.3"), 40001, default)
            {
                SinceHandshake = TimeSpan.FromSeconds(3725),
            },
        ];
        // a third session, closed earlier, carried 10 packets each way
        var traffic = new TrafficTotals(130, 11_000, 128, 2_501_000);
        return StatusReports.ForServer(settings, "tun0", 4242, sessions, traffic, drops);
    }

    public static StatusReport Client()
    {
        using var files = new TempDirectory();
        var settings = ClientConfig.Resolve(new ClientFlags(Server: "198.51.100.1:9525", KeyFile: files.KeyFile("pc1.key"), Name: "pc1"));
        var grant = new SessionGrant(0x1a2b3c4d, IPv4Address.Parse("10.0.0.2"), 24, IPv4Address.Parse("10.0.0.1"), 40000, 1420,
            TimeSpan.FromSeconds(10));
        var status = new ClientStatus(grant, true, new NetEndpoint(IPv4Address.Parse("198.51.100.1"), 40000), TimeSpan.FromSeconds(95))
        {
            RxPackets = 118, RxBytes = 9912, TxPackets = 120, TxBytes = 10080,
        };
        var drops = new DropCounters();
        drops.Add(DropReason.NotIPv4);
        return StatusReports.ForClient(settings, "tun0", 777, "198.51.100.1:9525", status, drops);
    }
}
