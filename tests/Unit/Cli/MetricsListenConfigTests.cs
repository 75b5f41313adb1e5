using MyVpn.Cli;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary><c>metrics_listen</c> / <c>--metrics-listen</c> on both daemons: off by default, the flag over the file, bad values named.</summary>
public sealed class MetricsListenConfigTests
{
    [Fact]
    public void Server_metrics_are_off_by_default_and_the_flag_wins_over_the_file()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            metrics_listen = "127.0.0.1:9586"
            """);

        Assert.Null(ServerConfig.Resolve(new ServerFlags(KeyFile: key)).MetricsListen);
        Assert.Equal(NetEndpoint.Parse("127.0.0.1:9586"), ServerConfig.Resolve(new ServerFlags(Config: config)).MetricsListen);
        Assert.Equal(NetEndpoint.Parse("192.0.2.1:9100"),
            ServerConfig.Resolve(new ServerFlags(Config: config) { MetricsListen = "192.0.2.1:9100" }).MetricsListen);
    }

    [Fact]
    public void Client_takes_metrics_listen_from_the_file_and_an_address_alone_means_port_9586()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", """
            server = "192.0.2.1"
            key_file = "pc1.key"
            metrics_listen = "127.0.0.2"
            """);

        Assert.Equal(NetEndpoint.Parse("127.0.0.2:9586"), ClientConfig.Resolve(new ClientFlags(Config: config)).MetricsListen);
        Assert.Null(ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: Path.Combine(dir.Path, "pc1.key"))).MetricsListen);
    }

    [Theory]
    [InlineData("localhost:9586")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData(":9586")]
    public void Bad_address_is_refused_naming_the_flag_or_the_key(string value)
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var config = dir.File("server.toml", $"""
            key_file = "psk.key"
            metrics_listen = "{value}"
            """);

        var fromFlag = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(KeyFile: key) { MetricsListen = value }));
        var fromFile = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.StartsWith($"--metrics-listen '{value}': expected ADDRESS:PORT", fromFlag.Message);
        Assert.Contains("metrics_listen", fromFile.Message);
        Assert.Contains("expected ADDRESS:PORT such as 127.0.0.1:9586", fromFile.Message);
    }
}
