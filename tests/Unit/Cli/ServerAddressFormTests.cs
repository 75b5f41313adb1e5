using MyVpn.Cli;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// The client's server and the server's listen address take IPv4 and IPv6 (in brackets with a port) forms, or
/// a name kept to be looked up; a bad one is refused naming the flag or FILE:LINE: key.
/// </summary>
public sealed class ServerAddressFormTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1:9525")]
    [InlineData("192.0.2.1:9600", "192.0.2.1:9600")]
    [InlineData("[2001:db8::1]:51820", "[2001:db8::1]:51820")]
    [InlineData("[2001:DB8:0::1]", "[2001:db8::1]:9525")]
    [InlineData("2001:db8::1", "[2001:db8::1]:9525")]
    [InlineData("[::ffff:192.0.2.1]:9600", "192.0.2.1:9600")]
    public void An_address_is_used_as_it_is(string server, string expected)
    {
        using var dir = new TempDirectory();
        var settings = ClientConfig.Resolve(new ClientFlags(Server: server, KeyFile: dir.KeyFile("k.key")));

        Assert.Equal(NetEndpoint.Parse(expected), settings.ServerAddress());
        Assert.Equal(NetEndpoint.Parse(expected), settings.ResolveServer());
    }

    [Theory]
    [InlineData("vpn.example.org", "vpn.example.org", 9525)]
    [InlineData("vpn.example.org:51820", "vpn.example.org", 51820)]
    public void A_name_is_kept_to_be_looked_up_before_each_connection(string server, string host, ushort port)
    {
        using var dir = new TempDirectory();
        var settings = ClientConfig.Resolve(new ClientFlags(Server: server, KeyFile: dir.KeyFile("k.key")));

        Assert.Null(settings.ServerAddress());
        Assert.Equal((host, port), settings.SplitServer());
    }

    [Theory]
    [InlineData("[2001:db8::1:51820", "server.toml:1: server '[2001:db8::1:51820': the ']' that ends the IPv6 address is missing")]
    [InlineData("[2001:db8::zz]:51820", "server.toml:1: server '[2001:db8::zz]:51820': '2001:db8::zz' in brackets is not an IPv6 address")]
    [InlineData("[vpn.example.org]:51820", "server.toml:1: server '[vpn.example.org]:51820': 'vpn.example.org' in brackets is not an IPv6 address")]
    [InlineData("[2001:db8::1]51820", "server.toml:1: server '[2001:db8::1]51820': expected :PORT after the ']'")]
    [InlineData("[2001:db8::1]:0", "server.toml:1: server '[2001:db8::1]:0': the port is not a number from 1 to 65535")]
    [InlineData("2001:db8::zz:51820", "server.toml:1: server '2001:db8::zz:51820': put an IPv6 address in brackets, as [2001:db8::1]:9525")]
    public void A_bad_IPv6_form_is_refused_at_its_line(string server, string message)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("k.key");
        var config = dir.File("server.toml", $"server = \"{server}\"\nkey_file = \"k.key\"\n");

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config)));

        Assert.Equal(message, error.Message.Replace(config, "server.toml", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[::]:51820", "[::]:51820")]
    [InlineData("[::]", "[::]:9525")]
    [InlineData("::", "[::]:9525")]
    [InlineData("[2001:db8::1]:443", "[2001:db8::1]:443")]
    [InlineData("0.0.0.0", "0.0.0.0:9525")]
    [InlineData("192.0.2.1:9600", "192.0.2.1:9600")]
    public void The_server_listens_on_an_IPv4_or_an_IPv6_address(string listen, string expected)
    {
        using var dir = new TempDirectory();
        var settings = ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key"), Listen: listen));

        Assert.Equal(NetEndpoint.Parse(expected), settings.Listen);
    }

    [Theory]
    [InlineData("[::1")]
    [InlineData("[fd00::zz]:9525")]
    [InlineData("[::]:99999")]
    public void A_bad_listen_address_is_refused_naming_the_flag(string listen)
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key"), Listen: listen)));

        Assert.StartsWith($"--listen '{listen}': ", error.Message);
    }
}
