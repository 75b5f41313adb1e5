using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// pc1 behind a 1280-byte WAN link (both ends of its veth), a server that knows nothing of it: pc1 takes
/// its tun MTU from the kernel's path MTU towards the server (1280 − 60 = 1220), clamps the MSS of SYNs in
/// both directions, and large TCP transfers to and from it complete intact, where full-size 1420-byte
/// packets would vanish on the narrow link (a bridge drops oversize frames without a word). pc2 is unchanged.
/// </summary>
public sealed partial class MtuTests(MtuTests.Fixture fixture) : IClassFixture<MtuTests.Fixture>
{
    private const long TransferBytes = 4 * 1024 * 1024;
    private readonly VpnWorld _world = fixture.World;

    /// <summary>Narrows pc1's WAN link to 1280 bytes: its eth0 and the bridge port it plugs into.</summary>
    internal static void NarrowPc1Link(Topology net)
    {
        Shell.Check("ip", "-n", net.Pc1, "link", "set", "eth0", "mtu", "1280");
        Shell.Check("ip", "-n", net.Wan, "link", "set", "pc1", "mtu", "1280");
    }

    /// <summary>The MTU of <paramref name="ns"/>'s tun0.</summary>
    internal static int TunMtu(string ns)
    {
        var line = Shell.Check("ip", "-n", ns, "-o", "link", "show", "tun0");
        return int.Parse(MtuField().Match(line).Groups[1].Value);
    }

    [GeneratedRegex(@" mtu (\d+) ")]
    private static partial Regex MtuField();

    [Fact]
    public void The_narrow_client_runs_its_tun_at_its_path_mtu_less_60_and_the_other_at_the_servers()
    {
        Assert.Equal(1220, TunMtu(_world.Net.Pc1));
        Assert.Equal(1420, TunMtu(_world.Net.Pc2));
    }

    [Fact]
    public async Task A_large_tcp_transfer_to_the_narrow_client_completes_intact()
    {
        await TcpTransfer.Run(_world.Net.Pc2, _world.Net.Pc1, "10.0.0.2", 5101, TransferBytes, _world.Logs);
    }

    [Fact]
    public async Task A_large_tcp_transfer_from_the_narrow_client_completes_intact()
    {
        await TcpTransfer.Run(_world.Net.Pc1, _world.Net.Pc2, "10.0.0.3", 5102, TransferBytes, _world.Logs);
        await TcpTransfer.Run(_world.Net.Pc1, _world.Net.Internet, Topology.InternetHost, 5103, TransferBytes, _world.Logs);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal VpnWorld World { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            World = VpnWorld.Create();
            NarrowPc1Link(World.Net);
            await World.StartServer();
            await World.StartClient(World.Net.Pc1, "pc1", "--name", "pc1", "--key-file", World.KeyOf("pc1"));
            await World.StartClient(World.Net.Pc2, "pc2", "--name", "pc2", "--key-file", World.KeyOf("pc2"));
            // the internet host through the tunnel (pc1's default route is the WAN's dead end)
            Shell.Check("ip", "-n", World.Net.Pc1, "route", "add", $"{Topology.InternetHost}/32", "dev", "tun0");
        }

        public Task DisposeAsync()
        {
            World?.Dispose();
            return Task.CompletedTask;
        }
    }
}
