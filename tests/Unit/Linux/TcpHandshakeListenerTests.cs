using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Io;
using MyVpn.Linux;
using MyVpn.Net;
using NSubstitute;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// The handshake listener holds its port alone: a second daemon (or any program) that tries the same
/// address is refused, even one that asks for SO_REUSEPORT, so no one takes a share of the handshakes.
/// </summary>
public sealed class TcpHandshakeListenerTests
{
    private static TcpHandshakeListener Start(NetEndpoint endpoint) =>
        TcpHandshakeListener.Start(endpoint, Substitute.For<IStreamAcceptor>(), maxInFlight: 4, maxPerSource: 2,
            TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger.Instance);

    private static NetEndpoint FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return NetEndpoint.Parse(probe.LocalEndPoint!.ToString()!);
    }

    [Fact]
    public void A_second_listener_on_the_same_port_is_refused_with_one_line()
    {
        var endpoint = FreeLoopbackPort();
        using var first = Start(endpoint);
        var refusal = Assert.Throws<SetupException>(() => Start(endpoint));
        Assert.StartsWith($"cannot listen on TCP {endpoint}:", refusal.Message);
        Assert.EndsWith("(another program holds it: 'ss -ltnp' names it; stop it, or give --listen another port)", refusal.Message);
        Assert.DoesNotContain('\n', refusal.Message);
    }

    [Fact]
    public void An_address_the_host_does_not_have_is_refused_saying_what_to_give()
    {
        var refusal = Assert.Throws<SetupException>(() => Start(NetEndpoint.Parse("203.0.113.77:9525")));
        Assert.EndsWith("(no interface of this host has that address: give --listen one of its addresses, or 0.0.0.0)", refusal.Message);
    }

    [Fact]
    public void A_program_asking_for_SO_REUSEPORT_cannot_share_the_port()
    {
        var endpoint = FreeLoopbackPort();
        using var listener = Start(endpoint);
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        intruder.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // SO_REUSEADDR and SO_REUSEPORT on Linux
        var e = Assert.Throws<SocketException>(() => intruder.Bind(endpoint.ToIPEndPoint()));
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
    }
}
