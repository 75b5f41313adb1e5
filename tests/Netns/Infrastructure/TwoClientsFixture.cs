using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// The server from server.toml (masquerading out of eth1, session keys logged to keys.log for the
/// capture tests) with pc1 (10.0.0.2) and pc2 (10.0.0.3) connected.
/// </summary>
public sealed class TwoClientsFixture : IAsyncLifetime
{
    internal VpnWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = VpnWorld.Create();
        await World.StartServer(["--config", World.ServerConfig, "--keylog", World.KeyLogPath]);
        await World.StartClient(World.Net.Pc1, "pc1", "--name", "pc1", "--key-file", World.KeyOf("pc1"));
        await World.StartClient(World.Net.Pc2, "pc2", "--name", "pc2", "--key-file", World.KeyOf("pc2"));
    }

    public Task DisposeAsync()
    {
        World?.Dispose();
        return Task.CompletedTask;
    }
}
