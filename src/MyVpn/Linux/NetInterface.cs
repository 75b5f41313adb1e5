using System.Net.Sockets;
using MyVpn.Linux.Interop;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Configures one network interface through the classic socket ioctls (what <c>ifconfig</c> does):
/// MTU, IPv4 address and netmask, link up. The address with its prefix also gives the kernel's
/// route to the subnet through the interface.
/// </summary>
internal static class NetInterface
{
    public static void SetMtu(string name, int mtu)
    {
        var request = IfReq.For(name);
        request.Mtu = mtu;
        Control(name, Ioctls.SIOCSIFMTU, ref request, $"ioctl(SIOCSIFMTU, {name}, {mtu})");
    }

    /// <summary>Sets (or replaces) the interface's IPv4 address and its prefix.</summary>
    public static void SetAddress(string name, IPv4Address address, int prefixLength)
    {
        var request = IfReq.For(name);
        request.SetAddress(address);
        Control(name, Ioctls.SIOCSIFADDR, ref request, $"ioctl(SIOCSIFADDR, {name}, {address})");
        var mask = IfReq.For(name);
        mask.SetAddress(new IPv4Address(prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength)));
        Control(name, Ioctls.SIOCSIFNETMASK, ref mask, $"ioctl(SIOCSIFNETMASK, {name}, /{prefixLength})");
    }

    public static void SetUp(string name)
    {
        var request = IfReq.For(name);
        Control(name, Ioctls.SIOCGIFFLAGS, ref request, $"ioctl(SIOCGIFFLAGS, {name})");
        request.Flags |= Ioctls.IFF_UP;
        Control(name, Ioctls.SIOCSIFFLAGS, ref request, $"ioctl(SIOCSIFFLAGS, {name}, up)");
    }

    /// <summary>The tunnel carries IPv4 only: stop the kernel sending router solicitations into it.</summary>
    public static void DisableIPv6(string name) =>
        Sysctl.TryWrite($"/proc/sys/net/ipv6/conf/{name}/disable_ipv6", "1");

    private static unsafe void Control(string name, nuint request, ref IfReq ifreq, string call)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fixed (IfReq* p = &ifreq)
        {
            if (LibC.Ioctl(socket.SafeHandle, request, p) < 0)
                throw ErrnoException.FromLastError(call);
        }
    }
}
