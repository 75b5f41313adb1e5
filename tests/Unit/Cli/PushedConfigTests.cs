using MyVpn.Cli;
using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// server.toml's <c>routes</c>, <c>dns</c>, <c>dns_search</c> and the --push-… flags become the settings
/// every grant pushes; anything a client would refuse stops the start with one line naming file, line and
/// key, or the flag. On the client, <c>accept_routes</c> / <c>accept_dns</c> and their flags.
/// </summary>
public sealed class PushedConfigTests
{
    private static ServerConfig Server(string toml, ServerFlags? flags = null)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", "key_file = \"psk.key\"\n" + toml);
        return ServerConfig.Resolve((flags ?? new ServerFlags()) with { Config = config });
    }

    [Fact]
    public void File_lists_and_flags_are_pushed_in_that_order()
    {
        var config = Server("""
            routes = ["192.168.50.0/24"]
            dns = ["10.0.0.1"]
            dns_search = ["intranet.myvpn.test"]
            """, new ServerFlags { PushRoute = ["172.16.0.0/12"], PushDns = ["10.0.0.2"], PushDnsSearch = ["corp.example"] });

        var pushed = config.ToOptions(null).Pushed;
        Assert.Equal([IPv4Range.Parse("192.168.50.0/24"), IPv4Range.Parse("172.16.0.0/12")], pushed.Routes);
        Assert.Equal([IPv4Address.Parse("10.0.0.1"), IPv4Address.Parse("10.0.0.2")], pushed.DnsServers);
        Assert.Equal(["intranet.myvpn.test", "corp.example"], pushed.SearchDomains);
    }

    [Fact]
    public void Nothing_configured_pushes_nothing()
    {
        Assert.Same(PushedSettings.None, Server("").Pushed);
    }

    [Theory]
    [InlineData("routes = [\"0.0.0.0/0\"]", "server.toml:2: routes '0.0.0.0/0': route 0.0.0.0/0 is shorter than /8")]
    [InlineData("routes = [\"10.1.2.3/16\"]", "server.toml:2: routes '10.1.2.3/16': '10.1.2.3/16' has host bits set")]
    [InlineData("routes = [\"127.0.0.0/8\"]", "server.toml:2: routes '127.0.0.0/8': route 127.0.0.0/8 is inside 127.0.0.0/8")]
    [InlineData("routes = [\"10.9.0.0/16\", \"10.9.0.0/16\"]", "server.toml:2: routes: '10.9.0.0/16' is listed twice")]
    [InlineData("dns = [\"10.0.0\"]", "server.toml:2: dns '10.0.0': '10.0.0' is not an IPv4 address")]
    [InlineData("dns = [\"224.0.0.1\"]", "server.toml:2: dns '224.0.0.1': DNS server 224.0.0.1 is inside 224.0.0.0/3")]
    [InlineData("dns = [\"10.0.0.1\", \"10.0.0.2\", \"10.0.0.3\", \"10.0.0.4\", \"10.0.0.5\"]", "server.toml:2: dns: 5 DNS servers, at most 4 may be pushed")]
    [InlineData("dns_search = [\"bad_name.example\"]", "server.toml:2: dns_search 'bad_name.example': search domain 'bad_name.example' has a character")]
    [InlineData("dns_search = [\"a.example\", \"A.example\"]", "server.toml:2: dns_search: 'A.example' is listed twice")]
    public void Bad_pushed_setting_is_one_line_naming_file_and_key(string toml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Server(toml));

        Assert.StartsWith(expected, Strip(error.Message));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Bad_flag_is_named()
    {
        var error = Assert.Throws<ConfigException>(() => Server("", new ServerFlags { PushRoute = ["16.0.0.0/4"] }));

        Assert.StartsWith("--push-route '16.0.0.0/4': route 16.0.0.0/4 is shorter than /8", error.Message);
    }

    [Fact]
    public void Thirty_three_routes_are_refused()
    {
        var routes = string.Join(", ", Enumerable.Range(0, 33).Select(i => $"\"10.{i}.0.0/16\""));

        var error = Assert.Throws<ConfigException>(() => Server($"routes = [{routes}]"));

        Assert.EndsWith("server.toml:2: routes: 33 routes, at most 32 may be pushed", error.Message);
    }

    [Fact]
    public void Client_accepts_pushes_unless_told_not_to()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("pc1.key");
        var plain = ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: key));
        Assert.True(plain.AcceptRoutes);
        Assert.True(plain.AcceptDns);

        var config = dir.File("client.toml", "server = \"192.0.2.1\"\nkey_file = \"pc1.key\"\naccept_routes = false\n");
        var fromFile = ClientConfig.Resolve(new ClientFlags(Config: config));
        Assert.False(fromFile.AcceptRoutes);
        Assert.True(fromFile.AcceptDns);

        var fromFlag = ClientConfig.Resolve(new ClientFlags(Config: config) { NoPushedDns = true });
        Assert.False(fromFlag.AcceptRoutes);
        Assert.False(fromFlag.AcceptDns);
    }

    /// <summary>The message from the file name on (the temp directory differs per run).</summary>
    private static string Strip(string message) =>
        message[(message.IndexOf("server.toml", StringComparison.Ordinal) is var i and >= 0 ? i : 0)..];
}
