using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// pc1 behind a 1280-byte WAN link with <c>mtu = 1220</c> in its [[clients]] table: a DF ping of the old
/// size (1392 bytes of data: a 1420-byte packet) towards pc1, from the server host or from pc2, gets ICMP
/// "fragmentation needed" with MTU 1220 from the server daemon, counted as a <c>PacketTooBig</c> drop; one that
/// fits goes through.
/// </summary>
public sealed class MtuIcmpTests(MtuIcmpTests.Fixture fixture) : IClassFixture<MtuIcmpTests.Fixture>
{
    private readonly VpnWorld _world = fixture.World;
    private readonly RunningProcess _server = fixture.Server;

    private static Shell.Result DfPing(string ns, string target, int size) =>
        Namespaces.Exec(ns, "ping", "-n", "-M", "do", "-s", size.ToString(), "-c", "2", "-i", "0.2", "-W", "1", target);

    // Each test pings from its own namespace or within the new MTU: the first answer teaches the sender's kernel
    // the path MTU, after which it refuses the old size itself ("message too long") without sending it.

    [Fact]
    public async Task A_df_ping_of_the_old_size_from_the_server_host_gets_fragmentation_needed_with_the_clients_mtu()
    {
        var before = await ReachProbe.Drops(_server, "PacketTooBig");

        var ping = DfPing(_world.Net.Server, "10.0.0.2", 1392);

        Assert.Contains("From 10.0.0.2", ping.Output, StringComparison.Ordinal);
        Assert.Contains("Frag needed and DF set (mtu = 1220)", ping.Output, StringComparison.Ordinal);
        Assert.True(await ReachProbe.Drops(_server, "PacketTooBig") > before, _server.ToString());
    }

    [Fact]
    public void A_df_ping_of_the_old_size_from_another_client_gets_fragmentation_needed_through_its_tunnel()
    {
        var ping = DfPing(_world.Net.Pc2, "10.0.0.2", 1392);

        Assert.Contains("From 10.0.0.1", ping.Output, StringComparison.Ordinal);
        Assert.Contains("Frag needed and DF set (mtu = 1220)", ping.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_df_ping_that_fits_the_clients_mtu_goes_through()
    {
        var fits = DfPing(_world.Net.Pc2, "10.0.0.2", 1192);

        Assert.Contains("2 received", fits.Output, StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal VpnWorld World { get; private set; } = null!;
        internal RunningProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            World = VpnWorld.Create();
            MtuTests.NarrowPc1Link(World.Net);
            File.WriteAllText(World.ServerConfig, File.ReadAllText(World.ServerConfig)
                .Replace("address = \"10.0.0.2\"", "address = \"10.0.0.2\"\nmtu = 1220", StringComparison.Ordinal));
            Server = await World.StartServer();
            await World.StartClient(World.Net.Pc1, "pc1", "--name", "pc1", "--key-file", World.KeyOf("pc1"));
            await World.StartClient(World.Net.Pc2, "pc2", "--name", "pc2", "--key-file", World.KeyOf("pc2"));
        }

        public Task DisposeAsync()
        {
            World?.Dispose();
            return Task.CompletedTask;
        }
    }
}
