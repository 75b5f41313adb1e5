using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

public sealed class IPv6SubnetTests
{
    [Fact]
    public void Host_n_is_the_prefix_with_n_in_the_host_bits_and_reads_back_as_n()
    {
        var subnet = IPv6Subnet.Parse("fd00:1:2:3::/64");
        var host = subnet.Host(0x0A0005);
        Assert.Equal(IPv6Address.Parse("fd00:1:2:3::a:5"), host);
        Assert.True(subnet.TryHostIndex(host, out var n));
        Assert.Equal(0x0A0005u, n);
        Assert.Equal(IPv6Address.Parse("fd00:1:2:3::"), subnet.Network);
    }

    [Fact]
    public void Address_outside_or_with_host_bits_above_32_has_no_index()
    {
        var subnet = IPv6Subnet.Parse("fd00:1:2:3::/64");
        Assert.False(subnet.TryHostIndex(IPv6Address.Parse("fd00:1:2:4::5"), out _));
        Assert.False(subnet.TryHostIndex(IPv6Address.Parse("fd00:1:2:3:0:1::5"), out _));
        Assert.True(subnet.Contains(IPv6Address.Parse("fd00:1:2:3:0:1::5")));
    }

    [Fact]
    public void Network_is_masked_and_a_120_holds_256_indexes()
    {
        var subnet = IPv6Subnet.Parse("fd00::1:2ff/120");
        Assert.Equal("fd00::1:200/120", subnet.ToString());
        Assert.Equal(256UL, subnet.IndexCount);
        Assert.True(subnet.Contains(IPv6Address.Parse("fd00::1:2aa")));
        Assert.False(subnet.Contains(IPv6Address.Parse("fd00::1:3aa")));
        Assert.Equal(1UL << 32, IPv6Subnet.Parse("fd00::/64").IndexCount);
    }

    [Theory]
    [InlineData("fd00::/63")]
    [InlineData("fd00::/121")]
    [InlineData("fd00::")]
    [InlineData("10.0.0.0/24")]
    [InlineData("fd00::/x")]
    public void Bad_subnets_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => IPv6Subnet.Parse(text));
    }

    [Theory]
    [InlineData("fe80::/10", "fe80::1", true)]
    [InlineData("fe80::/10", "febf:ffff::1", true)]
    [InlineData("fe80::/10", "fec0::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("::ffff:0:0/96", "::ffff:10.0.0.1", true)]
    public void Range_contains_what_its_prefix_covers(string range, string address, bool inside)
    {
        Assert.Equal(inside, IPv6Range.Parse(range).Contains(IPv6Address.Parse(address)));
    }

    [Theory]
    [InlineData("fe80::1/10")]
    [InlineData("fe80::/129")]
    [InlineData("10.0.0.0/8")]
    public void Bad_ranges_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => IPv6Range.Parse(text));
    }
}
