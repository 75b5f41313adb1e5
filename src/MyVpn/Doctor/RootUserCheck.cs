namespace MyVpn.Doctor;

/// <summary>The daemons need root (tun device, routes, nftables); so does reading the firewall and other programs' sockets.</summary>
public sealed class RootUserCheck : IDoctorCheck<HostFacts>
{
    public IEnumerable<DoctorLine> Check(HostFacts facts)
    {
        yield return facts.IsRoot
            ? DoctorLine.Ok("running as root")
            : DoctorLine.Fail("not running as root",
                "the daemon must run as root, and the doctor needs root to read the firewall, other programs' sockets and the key files; run it with sudo");
    }
}
