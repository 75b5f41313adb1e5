using MyVpn.Protocol;

namespace MyVpn.Doctor;

/// <summary>
/// What the tunnel adds to each packet on the outside path: an IPv4 header (20), a UDP header (8) and
/// the data packet's IV and tag (<see cref="WireFormat.Overhead"/>, 32): 60 bytes. A tun MTU above the
/// path's MTU minus this makes full-size packets fragment or vanish.
/// </summary>
public static class TunnelMtu
{
    public const int Overhead = 20 + 8 + WireFormat.Overhead;

    /// <summary>The line for a tun MTU against the MTU of the device the tunnel's datagrams leave by.</summary>
    public static DoctorLine Judge(int tunMtu, InterfaceFacts device, string towards, string fix)
    {
        var needed = tunMtu + Overhead;
        var what = $"tun MTU {tunMtu} + {Overhead} bytes of tunnel overhead = {needed} against MTU {device.Mtu} of {device.Name} (towards {towards})";
        return needed <= device.Mtu
            ? DoctorLine.Ok(what)
            : DoctorLine.Fail(what, $"full-size packets would not fit; {fix} {device.Mtu - Overhead} or less");
    }
}
