using Xunit;

namespace MyVpn.Tests.Netns;

public sealed class EnvironmentTests
{
    [Fact]
    public void Tun_device_node_exists() => Assert.True(File.Exists("/dev/net/tun"), "/dev/net/tun is missing");
}
