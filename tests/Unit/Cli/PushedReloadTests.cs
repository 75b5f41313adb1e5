using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Cli;
using MyVpn.Cli.Hosting;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Engines;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// A reload that changes <c>routes</c>, <c>dns</c> or <c>dns_search</c> changes what the server pushes
/// from then on; a session up gets it at its next rekey, and nothing else about it changes.
/// </summary>
public sealed class PushedReloadTests : IDisposable
{
    private const string Clients = """

        [[clients]]
        name = "pc1"
        key_file = "pc1.key"
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Changed_pushes_reach_a_connected_client_at_its_next_rekey()
    {
        _dir.File("pc1.key", Convert.ToBase64String(Handshakes.Key(1)) + "\n");
        var config = _dir.File("server.toml", "rekey_interval = 20\nroutes = [\"192.168.50.0/24\"]\n" + Clients);
        var flags = new ServerFlags(Config: config);
        var start = ServerConfig.Resolve(flags);
        using var world = new EngineWorld(start.ToOptions(null));
        var pc1 = world.Connect("pc1");
        var reloader = new ServerReloader(start, () => ServerConfig.Resolve(flags), world.Server, config, NullLogger.Instance);
        Assert.Equal([IPv4Range.Parse("192.168.50.0/24")], pc1.Grant!.Pushed.Routes);
        var session = Assert.Single(world.Server.Sessions);

        File.WriteAllText(config, "rekey_interval = 20\nroutes = [\"192.168.60.0/24\"]\ndns = [\"10.0.0.1\"]\n" + Clients);
        var reply = reloader.Reload();

        Assert.StartsWith("ok", reply);
        Assert.Contains("pushed from now on", reply);
        Assert.DoesNotContain("needs a restart", reply);
        Assert.Equal(session.SessionId, Assert.Single(world.Server.Sessions).SessionId); // the session goes on untouched
        Assert.Equal([IPv4Range.Parse("192.168.50.0/24")], pc1.Grant.Pushed.Routes);

        world.Run(TimeSpan.FromSeconds(30));

        Assert.True(pc1.Handshakes >= 2, $"{pc1.Handshakes} handshakes");
        Assert.Equal(new PushedSettings([IPv4Range.Parse("192.168.60.0/24")], [IPv4Address.Parse("10.0.0.1")], []), pc1.Grant.Pushed);
        Assert.Equal(session.Address, Assert.Single(world.Server.Sessions).Address);
    }

    [Fact]
    public void Reload_that_pushes_the_same_reports_no_push_change()
    {
        _dir.File("pc1.key", Convert.ToBase64String(Handshakes.Key(1)) + "\n");
        var config = _dir.File("server.toml", "dns = [\"10.0.0.1\"]\n" + Clients);
        var flags = new ServerFlags(Config: config);
        var start = ServerConfig.Resolve(flags);
        using var world = new EngineWorld(start.ToOptions(null));
        var reloader = new ServerReloader(start, () => ServerConfig.Resolve(flags), world.Server, config, NullLogger.Instance);

        var reply = reloader.Reload();

        Assert.DoesNotContain("pushed", reply);
        Assert.Equal(start.Pushed, world.Server.Pushed);
    }
}
