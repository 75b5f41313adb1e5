using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// The single-key form: <c>server --key-file psk.key --masquerade eth1</c>, and pc1 as a client with no --name (known by its host name)
/// with <c>--default-route</c>.
/// </summary>
public sealed class FullTunnelFixture : IAsyncLifetime
{
    internal VpnWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = VpnWorld.Create();
        await World.StartServer(["--key-file", World.KeyOf("psk"), "--masquerade", "eth1", "--keepalive", VpnWorld.Keepalive]);
        await World.StartClient(World.Net.Pc1, "pc1", "--key-file", World.KeyOf("psk"), "--default-route");
    }

    public Task DisposeAsync()
    {
        World?.Dispose();
        return Task.CompletedTask;
    }
}
