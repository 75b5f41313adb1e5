namespace MyVpn.Linux.Interop;

/// <summary>The ioctl request numbers the host uses (linux/if_tun.h, linux/sockios.h).</summary>
internal static class Ioctls
{
    public const nuint TUNSETIFF = 0x400454ca;

    public const nuint SIOCGIFFLAGS = 0x8913;
    public const nuint SIOCSIFFLAGS = 0x8914;
    public const nuint SIOCSIFADDR = 0x8916;
    public const nuint SIOCSIFNETMASK = 0x891c;
    public const nuint SIOCSIFMTU = 0x8922;

    public const short IFF_UP = 0x1;
    public const short IFF_TUN = 0x1;
    public const short IFF_NO_PI = 0x1000;
}
