using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// The single-key form: <c>server --key-file psk.key --masquerade eth1</c>, and pc1 as a client with no --name (known by its host name)
/// with <c>--default-route</c>. pc1 reaches the server through the WAN gateway, as a client on the internet
/// would (<see cref="PutPc1BehindTheGateway"/>), and has IPv6 on the WAN with a default route, so a leak
/// over IPv6 would leave.
/// </summary>
public sealed class FullTunnelFixture : IAsyncLifetime
{
    /// <summary>The client's firewall mark and table by default.</summary>
    public const string Mark = "9525";

    public const string Pc1Wan6 = "2001:db8:1::2";
    public const string WanGateway6 = "2001:db8:1::fe";

    /// <summary>An IPv6 host out on the internet: nothing answers there, but a packet to it leaves through the WAN gateway.</summary>
    public const string InternetHost6 = "2001:db8:8::8";

    internal VpnWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = VpnWorld.Create();
        PutPc1BehindTheGateway(World.Net);
        await World.StartServer(["--key-file", World.KeyOf("psk"), "--masquerade", "eth1", "--keepalive", VpnWorld.Keepalive]);
        await World.StartClient(World.Net.Pc1, "pc1", "--key-file", World.KeyOf("psk"), "--default-route");
    }

    /// <summary>
    /// Takes the server off pc1's link: pc1 keeps only its own address (/32) and reaches everything,
    /// the server included, through the WAN gateway, which forwards. Without this the server's address
    /// is on pc1's local network, which a full tunnel leaves outside (as wg-quick does). Also gives pc1
    /// and the gateway IPv6 addresses and pc1 an IPv6 default route.
    /// </summary>
    internal static void PutPc1BehindTheGateway(Topology net)
    {
        Ip(net.Wan, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.br0.send_redirects=0");
        Ip(net.Pc1, "ip", "addr", "del", $"{Topology.Pc1Wan}/24", "dev", "eth0");
        Ip(net.Pc1, "ip", "addr", "add", $"{Topology.Pc1Wan}/32", "dev", "eth0");
        Ip(net.Pc1, "ip", "route", "replace", Topology.WanGateway, "dev", "eth0");
        Ip(net.Pc1, "ip", "route", "replace", "default", "via", Topology.WanGateway);
        Ip(net.Server, "ip", "route", "add", $"{Topology.Pc1Wan}/32", "via", Topology.WanGateway);
        Ip(net.Wan, "ip", "addr", "add", $"{WanGateway6}/64", "dev", "br0", "nodad");
        Ip(net.Pc1, "ip", "addr", "add", $"{Pc1Wan6}/64", "dev", "eth0", "nodad");
        Ip(net.Pc1, "ip", "-6", "route", "add", "default", "via", WanGateway6, "dev", "eth0");
    }

    private static void Ip(string ns, params string[] command) => Namespaces.ExecChecked(ns, command);

    public Task DisposeAsync()
    {
        World?.Dispose();
        return Task.CompletedTask;
    }
}
