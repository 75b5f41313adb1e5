using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

public sealed class IPv4SubnetTests
{
    [Fact]
    public void Parses_and_contains_its_hosts_only()
    {
        var subnet = IPv4Subnet.Parse("10.0.0.0/24");
        Assert.Equal("10.0.0.1", subnet.Host(1).ToString());
        Assert.True(subnet.Contains(IPv4Address.Parse("10.0.0.200")));
        Assert.False(subnet.Contains(IPv4Address.Parse("10.0.1.1")));
        Assert.Equal(254, subnet.HostCount);
        Assert.Equal("10.0.0.255", subnet.Broadcast.ToString());
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("banana/24")]
    public void Rejects_malformed_text(string text) => Assert.Throws<FormatException>(() => IPv4Subnet.Parse(text));
}
