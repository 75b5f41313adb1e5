using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MyVpn.Net;

namespace MyVpn.Linux.Interop;

/// <summary>
/// <c>struct ifreq</c> (40 bytes on 64-bit Linux): an interface name of at most 15 bytes, then a
/// 24-byte union read as flags, an MTU or a <c>sockaddr_in</c> depending on the ioctl.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IfReq
{
    public const int NameSize = 16;

    public fixed byte Name[NameSize];
    public fixed byte Union[24];

    public static IfReq For(string interfaceName)
    {
        var bytes = Encoding.ASCII.GetBytes(interfaceName);
        if (bytes.Length is 0 or >= NameSize)
            throw new ArgumentException($"interface name '{interfaceName}' must be 1 to {NameSize - 1} characters");
        var request = default(IfReq);
        bytes.CopyTo(new Span<byte>(request.Name, NameSize));
        return request;
    }

    public readonly string InterfaceName
    {
        get
        {
            fixed (byte* name = Name)
                return Marshal.PtrToStringAnsi((nint)name) ?? "";
        }
    }

    /// <summary><c>ifr_flags</c> (TUNSETIFF, SIOCGIFFLAGS, SIOCSIFFLAGS).</summary>
    public short Flags
    {
        readonly get { fixed (byte* u = Union) return *(short*)u; }
        set { fixed (byte* u = Union) *(short*)u = value; }
    }

    /// <summary><c>ifr_mtu</c> (SIOCSIFMTU).</summary>
    public int Mtu
    {
        readonly get { fixed (byte* u = Union) return *(int*)u; }
        set { fixed (byte* u = Union) *(int*)u = value; }
    }

    /// <summary><c>ifr_addr</c> / <c>ifr_netmask</c> as an IPv4 socket address (SIOCSIFADDR, SIOCSIFNETMASK).</summary>
    public void SetAddress(IPv4Address address)
    {
        fixed (byte* u = Union)
        {
            var span = new Span<byte>(u, 24);
            span.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(span, SockAddrInet.AF_INET);
            address.Write(span[4..]);
        }
    }
}
