using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The rules <see cref="PushedSettings"/> holds a server's pushed routes, DNS servers and search domains to,
/// which the server's config and the client's decoder share: each list accepted at its bound and refused one
/// past it, each special range refused from its first address to its last and its neighbours accepted, and the
/// one-line error naming what is wrong (an operator reads it when the config is refused). Also the settings'
/// equality by content, which decides whether a client applies pushed settings again.
/// </summary>
public sealed class PushedSettingsRulesTests
{
    private static IPv4Range[] Routes(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new IPv4Range(new IPv4Address(0x0A000000u + ((uint)i << 8)), 24))];

    private static IPv4Address[] Servers(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new IPv4Address(0x0A000000u + (uint)i))];

    private static string[] Domains(int count) => [.. Enumerable.Range(0, count).Select(i => $"d{i}.example")];

    [Fact]
    public void Each_list_at_its_bound_is_accepted()
    {
        var full = new PushedSettings(Routes(PushedSettings.MaxRoutes), Servers(PushedSettings.MaxDnsServers),
            Domains(PushedSettings.MaxSearchDomains));

        Assert.Null(full.Problem());
    }

    [Fact]
    public void Too_many_routes_are_refused_naming_the_bound()
    {
        Assert.Equal("33 routes: at most 32 may be pushed", new PushedSettings(Routes(33), [], []).Problem());
    }

    [Fact]
    public void Too_many_dns_servers_are_refused_naming_the_bound()
    {
        Assert.Equal("5 DNS servers: at most 4 may be pushed", new PushedSettings([], Servers(5), []).Problem());
    }

    [Fact]
    public void Too_many_search_domains_are_refused_naming_the_bound()
    {
        Assert.Equal("9 search domains: at most 8 may be pushed", new PushedSettings([], [], Domains(9)).Problem());
    }

    [Fact]
    public void An_entry_the_rules_refuse_is_the_problem_of_the_whole_list()
    {
        Assert.Equal("route 127.0.0.0/8 is inside 127.0.0.0/8 (loopback)",
            new PushedSettings([IPv4Range.Parse("10.1.0.0/16"), IPv4Range.Parse("127.0.0.0/8")], [], []).Problem());
        Assert.Equal("DNS server 0.0.0.1 is inside 0.0.0.0/8",
            new PushedSettings([], [IPv4Address.Parse("10.0.0.1"), IPv4Address.Parse("0.0.0.1")], []).Problem());
        Assert.Equal("search domain 'a_b' has a character other than letters, digits, '-' and '.'",
            new PushedSettings([], [], ["corp.example", "a_b"]).Problem());
    }

    [Fact]
    public void A_dns_server_listed_twice_is_refused()
    {
        Assert.Equal("a DNS server is listed twice",
            new PushedSettings([], [IPv4Address.Parse("10.0.0.1"), IPv4Address.Parse("10.0.0.1")], []).Problem());
    }

    [Fact]
    public void A_route_listed_twice_is_refused()
    {
        Assert.Equal("a route is listed twice",
            new PushedSettings([IPv4Range.Parse("10.1.0.0/16"), IPv4Range.Parse("10.1.0.0/16")], [], []).Problem());
    }

    [Fact]
    public void A_search_domain_listed_twice_in_another_case_is_refused()
    {
        Assert.Equal("a search domain is listed twice",
            new PushedSettings([], [], ["corp.example", "Corp.Example"]).Problem());
    }

    [Theory]
    [InlineData("10.0.0.0/8", null)]
    [InlineData("10.0.0.0/7", "route 10.0.0.0/7 is shorter than /8: a full tunnel is the client's choice (--default-route), not pushed")]
    [InlineData("0.0.0.0/8", "route 0.0.0.0/8 is inside 0.0.0.0/8")]
    [InlineData("0.255.255.0/24", "route 0.255.255.0/24 is inside 0.0.0.0/8")]
    [InlineData("1.0.0.0/24", null)]
    [InlineData("126.255.255.0/24", null)]
    [InlineData("127.0.0.0/24", "route 127.0.0.0/24 is inside 127.0.0.0/8 (loopback)")]
    [InlineData("127.255.255.0/24", "route 127.255.255.0/24 is inside 127.0.0.0/8 (loopback)")]
    [InlineData("128.0.0.0/24", null)]
    [InlineData("168.254.0.0/16", null)]
    [InlineData("169.253.0.0/16", null)]
    [InlineData("169.254.0.0/16", "route 169.254.0.0/16 is inside 169.254.0.0/16 (link-local)")]
    [InlineData("169.254.255.0/24", "route 169.254.255.0/24 is inside 169.254.0.0/16 (link-local)")]
    [InlineData("169.255.0.0/16", null)]
    [InlineData("170.254.0.0/16", null)]
    [InlineData("223.255.255.0/24", null)]
    [InlineData("224.0.0.0/8", "route 224.0.0.0/8 is inside 224.0.0.0/3 (multicast and reserved)")]
    [InlineData("255.255.255.0/24", "route 255.255.255.0/24 is inside 224.0.0.0/3 (multicast and reserved)")]
    public void Route_rules_at_each_edge(string route, string? problem)
    {
        Assert.Equal(problem, PushedSettings.RouteProblem(IPv4Range.Parse(route)));
    }

    [Theory]
    [InlineData("0.0.0.0", "DNS server 0.0.0.0 is inside 0.0.0.0/8")]
    [InlineData("1.1.1.1", null)]
    [InlineData("127.0.0.53", "DNS server 127.0.0.53 is inside 127.0.0.0/8 (loopback)")]
    [InlineData("169.254.169.254", "DNS server 169.254.169.254 is inside 169.254.0.0/16 (link-local)")]
    [InlineData("169.253.1.1", null)]
    [InlineData("223.255.255.254", null)]
    [InlineData("224.0.0.251", "DNS server 224.0.0.251 is inside 224.0.0.0/3 (multicast and reserved)")]
    public void Dns_server_rules_at_each_edge(string server, string? problem)
    {
        Assert.Equal(problem, PushedSettings.DnsServerProblem(IPv4Address.Parse(server)));
    }

    [Theory]
    [InlineData("", "search domain of 0 characters: 1 to 253 allowed")]
    [InlineData("a..b", "search domain 'a..b' has a label of 0 characters: 1 to 63 allowed")]
    [InlineData("a-.b", "search domain 'a-.b' has a label that starts or ends with '-'")]
    [InlineData("a.-b", "search domain 'a.-b' has a label that starts or ends with '-'")]
    [InlineData("a.b-c.d", null)]
    [InlineData("a b", "search domain 'a b' has a character other than letters, digits, '-' and '.'")]
    public void Search_domain_rules_name_what_is_wrong(string domain, string? problem)
    {
        Assert.Equal(problem, PushedSettings.SearchDomainProblem(domain));
    }

    [Fact]
    public void Overlong_names_and_labels_say_how_long_they_are()
    {
        Assert.Equal("search domain of 254 characters: 1 to 253 allowed", PushedSettings.SearchDomainProblem(new string('a', 254)));
        Assert.Equal($"search domain '{new string('a', 64)}' has a label of 64 characters: 1 to 63 allowed",
            PushedSettings.SearchDomainProblem(new string('a', 64)));
    }

    [Fact]
    public void Settings_are_equal_by_content_and_differ_in_any_list()
    {
        var a = new PushedSettings([IPv4Range.Parse("10.1.0.0/16")], [IPv4Address.Parse("10.0.0.1")], ["corp.example"]);
        var same = new PushedSettings([IPv4Range.Parse("10.1.0.0/16")], [IPv4Address.Parse("10.0.0.1")], ["corp.example"]);

        Assert.True(a.Equals(same));
        Assert.True(a.Equals((object)same));
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.False(a.Equals(new PushedSettings([IPv4Range.Parse("10.2.0.0/16")], a.DnsServers, a.SearchDomains)));
        Assert.False(a.Equals(new PushedSettings(a.Routes, [IPv4Address.Parse("10.0.0.2")], a.SearchDomains)));
        Assert.False(a.Equals(new PushedSettings(a.Routes, a.DnsServers, ["Corp.example"]))); // applied as written: a new name
        Assert.False(a.Equals((PushedSettings?)null));
        Assert.False(a.Equals((object)"corp.example"));
    }

    [Fact]
    public void IsEmpty_only_when_every_list_is_empty()
    {
        Assert.True(PushedSettings.None.IsEmpty);
        Assert.False(new PushedSettings([IPv4Range.Parse("10.1.0.0/16")], [], []).IsEmpty);
        Assert.False(new PushedSettings([], [IPv4Address.Parse("10.0.0.1")], []).IsEmpty);
        Assert.False(new PushedSettings([], [], ["corp.example"]).IsEmpty);
    }

    [Fact]
    public void Settings_print_every_list()
    {
        var pushed = new PushedSettings([IPv4Range.Parse("10.1.0.0/16"), IPv4Range.Parse("10.2.0.0/16")],
            [IPv4Address.Parse("10.0.0.1"), IPv4Address.Parse("10.0.0.2")], ["corp.example", "lab.example"]);

        Assert.Equal("routes [10.1.0.0/16, 10.2.0.0/16], dns [10.0.0.1, 10.0.0.2], search [corp.example, lab.example]", pushed.ToString());
    }
}
