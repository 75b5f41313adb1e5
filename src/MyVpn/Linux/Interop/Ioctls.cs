namespace MyVpn.Linux.Interop;

/// <summary>The ioctl request numbers the host uses (linux/if_tun.h, linux/sockios.h).</summary>
internal static class Ioctls
{
    public const nuint TUNSETIFF = 0x400454ca;

    /// <summary>Which offloads the kernel may hand us (TUN_F_*), by value, not by pointer.</summary>
    public const nuint TUNSETOFFLOAD = 0x400454d0;

    /// <summary>The size of the virtio header in front of each packet (an int, by pointer).</summary>
    public const nuint TUNSETVNETHDRSZ = 0x400454d8;

    public const nuint SIOCGIFFLAGS = 0x8913;
    public const nuint SIOCSIFFLAGS = 0x8914;
    public const nuint SIOCSIFADDR = 0x8916;
    public const nuint SIOCSIFNETMASK = 0x891c;
    public const nuint SIOCSIFMTU = 0x8922;

    public const short IFF_UP = 0x1;
    public const short IFF_TUN = 0x1;
    public const short IFF_NO_PI = 0x1000;

    /// <summary>Every packet read or written carries a <c>virtio_net_hdr</c> in front.</summary>
    public const short IFF_VNET_HDR = 0x4000;

    public const uint TUN_F_CSUM = 0x01;
    public const uint TUN_F_TSO4 = 0x02;
    public const uint TUN_F_TSO6 = 0x04;
}
