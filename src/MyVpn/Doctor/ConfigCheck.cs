namespace MyVpn.Doctor;

/// <summary>
/// The config resolves exactly as the daemon would resolve it: flags over the file over the defaults,
/// key files read with their owner and mode checks. A problem is the daemon's own one-line error.
/// </summary>
public sealed class ConfigCheck : IDoctorCheck<HostFacts>
{
    public IEnumerable<DoctorLine> Check(HostFacts facts)
    {
        yield return facts.ConfigProblem is null
            ? DoctorLine.Ok("config and key files (owner and mode) are valid")
            : DoctorLine.Fail("config", facts.ConfigProblem);
    }
}
