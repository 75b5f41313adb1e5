using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

public sealed class IPv4RangeTests
{
    [Theory]
    [InlineData("169.254.0.0/16", "169.254.0.0", "169.254.255.255")]
    [InlineData("192.0.2.1", "192.0.2.1", "192.0.2.1")]
    [InlineData("192.0.2.7/32", "192.0.2.7", "192.0.2.7")]
    [InlineData("0.0.0.0/0", "0.0.0.0", "255.255.255.255")]
    [InlineData("224.0.0.0/3", "224.0.0.0", "255.255.255.255")]
    public void Parses_a_cidr_or_a_single_address(string text, string first, string last)
    {
        var range = IPv4Range.Parse(text);
        Assert.Equal((first, last), (range.First.ToString(), range.Last.ToString()));
    }

    [Fact]
    public void Contains_its_addresses_only()
    {
        var range = IPv4Range.Parse("10.1.0.0/16");
        Assert.True(range.Contains(IPv4Address.Parse("10.1.255.255")));
        Assert.False(range.Contains(IPv4Address.Parse("10.2.0.0")));
        Assert.Equal("10.1.0.0/16", range.ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.1/24")]
    [InlineData("banana/8")]
    [InlineData("10.0.0/8")]
    [InlineData("")]
    [InlineData("::1/128")]
    public void Rejects_malformed_text_and_host_bits_set(string text) =>
        Assert.Throws<FormatException>(() => IPv4Range.Parse(text));
}
