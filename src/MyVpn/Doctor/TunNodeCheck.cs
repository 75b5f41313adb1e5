namespace MyVpn.Doctor;

/// <summary>The tun device is created through /dev/net/tun; in a container it must be given the device.</summary>
public sealed class TunNodeCheck : IDoctorCheck<HostFacts>
{
    public const string Path = "/dev/net/tun";

    public IEnumerable<DoctorLine> Check(HostFacts facts)
    {
        yield return facts.TunNodeExists
            ? DoctorLine.Ok($"{Path} exists")
            : DoctorLine.Fail($"{Path} is missing", "load the tun module (modprobe tun) or give the container the device (--device /dev/net/tun)");
    }
}
