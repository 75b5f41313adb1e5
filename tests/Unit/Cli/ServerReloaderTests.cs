using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Cli;
using MyVpn.Cli.Hosting;
using MyVpn.Tests.Unit.Engines;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// <see cref="ServerReloader"/>: re-reads the config with the start's flags on top, refuses one that does
/// not load (the server keeps running on the old one), hands the clients to the engine, reports settings
/// that need a restart, and wipes the keys the reload replaced.
/// </summary>
public sealed class ServerReloaderTests : IDisposable
{
    private const string TwoClients = """
        [[clients]]
        name = "pc1"
        key_file = "pc1.key"

        [[clients]]
        name = "pc2"
        key_file = "pc2.key"
        """;

    private readonly TempDirectory _dir = new();
    private readonly string _config;
    private readonly ServerFlags _flags;
    private readonly ServerConfig _start;
    private readonly EngineWorld _world;
    private readonly ServerReloader _reloader;

    public ServerReloaderTests() : this(null) { }

    private ServerReloaderTests(string? mtuFlag)
    {
        foreach (var (name, fill) in new[] { ("pc1.key", 1), ("pc2.key", 2), ("pc3.key", 3), ("pc1-new.key", 9) })
            _dir.File(name, Convert.ToBase64String(Handshakes.Key((byte)fill)) + "\n");
        _config = _dir.File("server.toml", TwoClients);
        _flags = new ServerFlags(Config: _config, Mtu: mtuFlag);
        _start = ServerConfig.Resolve(_flags);
        _world = new EngineWorld(_start.ToOptions(null));
        _world.Connect("pc1");
        _world.Connect("pc2");
        _reloader = new ServerReloader(_start, () => ServerConfig.Resolve(_flags), _world.Server, _config, NullLogger.Instance);
    }

    /// <summary>What a reload must leave alone in a session: who, which keys, where (not its counters).</summary>
    private static (string, uint, MyVpn.Net.IPv4Address, ushort, MyVpn.Net.NetEndpoint) Id(MyVpn.Server.SessionInfo s) => (s.Name, s.SessionId, s.Address, s.Port, s.Endpoint);

    private void Write(string text) => File.WriteAllText(_config, text);

    private IEnumerable<string> SessionNames => _world.Server.Sessions.Select(s => s.Name).Order(StringComparer.Ordinal);

    [Fact]
    public void A_client_removed_from_the_file_loses_its_session_and_its_key_is_wiped()
    {
        var pc1Key = _start.Clients[0].Key;
        var pc2Key = _start.Clients[1].Key;
        var pc1Session = _world.Server.Sessions.Single(s => s.Name == "pc1");
        Write("""
            [[clients]]
            name = "pc1"
            key_file = "pc1.key"
            """);

        var reply = _reloader.Reload();

        Assert.StartsWith("ok\n", reply);
        Assert.Contains("removed 1 (pc2)", reply);
        Assert.DoesNotContain("needs a restart", reply);
        Assert.Equal(["pc1"], SessionNames);
        Assert.Equal(Id(pc1Session), Id(_world.Server.Sessions.Single()));
        Assert.Same(pc1Key, Assert.Single(_reloader.Running.Clients).Key);
        Assert.Equal(Handshakes.Key(1), pc1Key);
        Assert.All(pc2Key, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_client_added_and_one_re_keyed_take_effect()
    {
        Write("""
            [[clients]]
            name = "pc1"
            key_file = "pc1-new.key"

            [[clients]]
            name = "pc2"
            key_file = "pc2.key"

            [[clients]]
            name = "pc3"
            key_file = "pc3.key"
            """);

        var reply = _reloader.Reload();

        Assert.StartsWith("ok\n", reply);
        Assert.Contains("added 1 (pc3)", reply);
        Assert.Contains("new key 1 (pc1)", reply);
        Assert.Equal(["pc2"], SessionNames);
        Assert.True(_world.Connect("pc3", keyFill: 3).IsConnected);
    }

    [Theory]
    [InlineData("ports = \"1-\"\n", "ports")]
    [InlineData("[[clients]]\nname = \"pc1\"\n", "give 'key' or 'key_file'")]
    [InlineData("mtu = = 3\n", "server.toml")]
    [InlineData("colour = \"blue\"\n", "unknown key 'colour'")]
    public void A_config_that_does_not_load_is_refused_and_the_server_keeps_the_old_one(string text, string named)
    {
        var before = _world.Server.Sessions;
        Write(text);

        var reply = _reloader.Reload();

        Assert.StartsWith("error: ", reply);
        Assert.Contains(named, reply);
        Assert.DoesNotContain('\n', reply);
        Assert.Equal(before.Select(Id), _world.Server.Sessions.Select(Id));
        Assert.Same(_start, _reloader.Running);
        Assert.Equal(Handshakes.Key(2), _start.Clients[1].Key);

        Write(TwoClients);
        Assert.StartsWith("ok\n", _reloader.Reload());
        Assert.Equal(before.Select(Id), _world.Server.Sessions.Select(Id));
    }

    [Fact]
    public void Settings_that_need_a_restart_are_reported_and_not_applied()
    {
        var before = _world.Server.Sessions;
        Write("mtu = 1300\nports = \"41000-41010\"\n" + TwoClients);

        var reply = _reloader.Reload();

        Assert.StartsWith("ok\n", reply);
        Assert.EndsWith("needs a restart (not applied): ports, mtu", reply);
        Assert.Equal(before.Select(Id), _world.Server.Sessions.Select(Id));
        Assert.Equal(_start.Mtu, _reloader.Running.Mtu);
        Assert.Equal(_start.FirstPort, _reloader.Running.FirstPort);
    }

    [Fact]
    public void A_flag_given_at_start_still_overrides_the_file()
    {
        using var withFlag = new ServerReloaderTests("1400");
        withFlag.Write("mtu = 1300\n" + TwoClients);

        var reply = withFlag._reloader.Reload();

        Assert.Equal(1400, withFlag._start.Mtu);
        Assert.DoesNotContain("needs a restart", reply);
    }

    [Fact]
    public void A_fixed_address_outside_the_running_subnet_is_refused_even_when_the_file_moved_the_subnet()
    {
        Write("subnet = \"10.9.0.0/24\"\n" + TwoClients + "\naddress = \"10.9.0.7\"\n");

        var reply = _reloader.Reload();

        Assert.StartsWith("error: ", reply);
        Assert.Contains("client 'pc2': address 10.9.0.7 is not a client address in the running subnet 10.0.0.0/24", reply);
        Assert.Equal(2, _world.Server.Sessions.Count);
    }

    public void Dispose()
    {
        _world.Dispose();
        _dir.Dispose();
    }
}
