using MyVpn.Cli;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>subnet6 and ipv6 = true in server.toml, and the IPv6 entries of block and allow.</summary>
public sealed class ServerIpv6ConfigTests
{
    private static ServerConfig Resolve(TempDirectory dir, string toml)
    {
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", "key_file = \"psk.key\"\n" + toml);
        return ServerConfig.Resolve(new ServerFlags(Config: config));
    }

    [Fact]
    public void Without_subnet6_or_ipv6_the_server_is_ipv4_only()
    {
        using var dir = new TempDirectory();
        var settings = Resolve(dir, "");

        Assert.Null(settings.Subnet6);
        Assert.Null(settings.ToOptions(null).Subnet6);
        Assert.Null(settings.ToOptions(null).Ipv6GrantFor(IPv4Address.Parse("10.0.0.2")));
    }

    [Fact]
    public void Subnet6_reaches_the_options_and_gives_the_server_the_host_of_its_ipv4_index()
    {
        using var dir = new TempDirectory();
        var settings = Resolve(dir, """
            subnet = "10.8.0.0/24"
            address = "10.8.0.254"
            subnet6 = "fd00:8::/64"
            """);
        var options = settings.ToOptions(null);

        Assert.Equal(IPv6Subnet.Parse("fd00:8::/64"), options.Subnet6);
        Assert.Equal(IPv6Address.Parse("fd00:8::fe"), options.EffectiveServerAddress6);
        Assert.Equal(IPv6Address.Parse("fd00:8::7"), options.Ipv6GrantFor(IPv4Address.Parse("10.8.0.7"))!.ClientAddress);
    }

    [Fact]
    public void Ipv6_true_generates_a_ula_64_that_is_the_same_on_every_read()
    {
        using var dir = new TempDirectory();
        var first = Resolve(dir, "ipv6 = true").Subnet6!.Value;
        var again = Resolve(dir, "ipv6 = true").Subnet6!.Value;

        Assert.Equal(first, again);
        Assert.Equal(64, first.PrefixLength);
        Assert.True(IPv6Range.Parse("fd00::/8").Contains(first.Network));
    }

    [Fact]
    public void Ula_global_id_depends_on_the_machine_id_and_the_ipv4_subnet()
    {
        var subnet = IPv4Subnet.Parse("10.0.0.0/24");
        var a = UlaPrefix.For("0123456789abcdef0123456789abcdef", subnet);

        Assert.Equal(a, UlaPrefix.For("0123456789abcdef0123456789abcdef\n", subnet));
        Assert.NotEqual(a, UlaPrefix.For("fedcba9876543210fedcba9876543210", subnet));
        Assert.NotEqual(a, UlaPrefix.For("0123456789abcdef0123456789abcdef", IPv4Subnet.Parse("10.1.0.0/24")));
        // subnet ID 0: only the 40-bit global ID after fd varies
        Assert.EndsWith("::/64", a.ToString());
    }

    [Fact]
    public void Ipv6_entries_of_block_and_allow_go_to_the_ipv6_policy_and_ipv4_ones_stay()
    {
        using var dir = new TempDirectory();
        var settings = Resolve(dir, """
            subnet6 = "fd00:8::/64"
            block = ["192.168.0.0/16", "2001:db8:bad::/48"]
            allow = ["2001:db8:bad::9"]
            """);
        var options = settings.ToOptions(null, hostAddresses6: [IPv6Address.Parse("2001:db8::1")]);

        Assert.Equal(["192.168.0.0/16"], options.Block.Select(r => r.ToString()));
        Assert.Equal(["2001:db8:bad::/48"], options.Block6.Select(r => r.ToString()));
        Assert.Empty(options.Allow);
        Assert.Equal(["2001:db8:bad::9/128"], options.Allow6.Select(r => r.ToString()));
        Assert.Equal([IPv6Address.Parse("2001:db8::1")], options.HostAddresses6);
    }

    [Fact]
    public void Ipv6_false_in_a_clients_table_turns_ipv6_off_for_that_client_only()
    {
        using var dir = new TempDirectory();
        var settings = Resolve(dir, """
            subnet6 = "fd00:8::/64"
            [[clients]]
            name = "old"
            key_file = "psk.key"
            ipv6 = false
            [[clients]]
            name = "new"
            key_file = "psk.key"
            """);

        Assert.Equal([false, true], settings.Clients.Select(c => c.Ipv6));
    }

    [Theory]
    [InlineData("subnet6 = \"fd00::/63\"", "server.toml:2: subnet6 'fd00::/63': prefix length /63 is outside /64../120")]
    [InlineData("subnet6 = \"fd00::/121\"", "server.toml:2: subnet6 'fd00::/121': prefix length /121 is outside /64../120")]
    [InlineData("subnet6 = \"10.0.0.0/24\"", "server.toml:2: subnet6 '10.0.0.0/24': '10.0.0.0/24' is not an IPv6 subnet like fd00:1234:5678::/64")]
    [InlineData("subnet6 = \"fe80::/64\"", "server.toml:2: subnet6 'fe80::/64': IPv6 subnet fe80::/64 is inside fe80::/10 (link-local)")]
    [InlineData("subnet = \"10.0.0.0/16\"\nsubnet6 = \"fd00::/120\"", "server.toml:3: subnet6 'fd00::/120': fd00::/120 has room for 255 hosts, fewer than the 65534 of 10.0.0.0/16: use a prefix of at most /112")]
    [InlineData("subnet6 = \"fd00::/64\"\nipv6 = false", "server.toml:2: subnet6: set while ipv6 = false: remove one of the two")]
    [InlineData("block = [\"fe80::1/10\"]", "server.toml:2: block 'fe80::1/10': 'fe80::1/10' has host bits set; the range is fe80::/10")]
    [InlineData("ipv6 = \"yes\"", "server.toml")]
    public void Bad_ipv6_settings_are_one_line_errors_naming_the_key(string toml, string expected)
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() => Resolve(dir, toml));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
