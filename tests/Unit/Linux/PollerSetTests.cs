using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>How many I/O threads the daemons run: the "auto" rule and an explicit count.</summary>
public sealed class PollerSetTests
{
    [Theory]
    [InlineData(null, 1, 0)] // auto on 1 or 2 CPUs: one thread for tun and sockets
    [InlineData(null, 2, 0)]
    [InlineData(null, 3, 2)] // auto on more: tun thread + one socket thread per other CPU...
    [InlineData(null, 16, PollerSet.MaxSocketThreads)] // ...up to the cap
    [InlineData(1, 16, 0)]
    [InlineData(2, 2, 1)] // asked for: two threads even on 2 CPUs
    [InlineData(9, 2, PollerSet.MaxSocketThreads)]
    public void Server_socket_threads(int? threads, int processors, int expected) =>
        Assert.Equal(expected, PollerSet.ServerSocketThreads(threads, processors));

    [Theory]
    [InlineData(null, 2, 0)]
    [InlineData(null, 8, 1)]
    [InlineData(1, 8, 0)]
    [InlineData(2, 1, 1)]
    [InlineData(5, 8, 1)] // a client has one socket: one thread for it is all it can use
    public void Client_socket_threads(int? threads, int processors, int expected) =>
        Assert.Equal(expected, PollerSet.ClientSocketThreads(threads, processors));
}
