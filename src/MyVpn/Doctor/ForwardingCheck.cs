namespace MyVpn.Doctor;

/// <summary>
/// IPv4 forwarding: the server routes clients' packets to the internet through the kernel. It turns
/// forwarding on at start (and back off at exit if it was off), so off is only a fault while it runs.
/// </summary>
public sealed class ForwardingCheck : IDoctorCheck<ServerFacts>
{
    public IEnumerable<DoctorLine> Check(ServerFacts facts)
    {
        if (facts.Forwarding is null)
            yield return DoctorLine.Warn("IPv4 forwarding", "cannot read /proc/sys/net/ipv4/ip_forward");
        else if (facts.Forwarding == "1")
            yield return DoctorLine.Ok("IPv4 forwarding is on");
        else if (facts.RunningPid is { } pid)
            yield return DoctorLine.Fail("IPv4 forwarding is off while the server runs",
                $"something turned it off after the server (pid {pid}) started, so clients reach nothing beyond the server; run: sysctl -w net.ipv4.ip_forward=1");
        else
            yield return DoctorLine.Warn("IPv4 forwarding is off",
                "the server turns it on at start and off again at exit; to keep it on, put net.ipv4.ip_forward=1 in /etc/sysctl.d/");
    }
}
