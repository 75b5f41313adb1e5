using MyVpn.Cli.Config;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>The commented configs in examples/ stay valid: every key in them is one the daemon knows.</summary>
public sealed class ExampleConfigTests
{
    private static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return Path.Combine(dir.FullName, "examples", name);
        throw new InvalidOperationException("MyVpn.sln not found");
    }

    [Fact]
    public void Example_server_config_parses()
    {
        var config = TomlConfig.Load<ServerConfigFile>(Example("server.toml"));

        Assert.Equal(["pc1", "pc2", "laptop"], config.Clients!.Select(c => c.Name));
        Assert.Equal("eth0", config.Masquerade);
        Assert.True(config.Offload);
        Assert.Equal(["192.168.0.0/16"], config.Block);
        Assert.Equal(["192.168.1.10"], config.Allow);
        Assert.True(config.ClientToClient);
    }

    [Fact]
    public void Example_client_config_parses()
    {
        var config = TomlConfig.Load<ClientConfigFile>(Example("client.toml"));

        Assert.Equal(("pc1", "pc1.key", false, true), (config.Name, config.KeyFile, config.DefaultRoute, config.Offload));
    }
}
