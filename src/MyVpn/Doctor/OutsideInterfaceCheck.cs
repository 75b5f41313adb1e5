namespace MyVpn.Doctor;

/// <summary>The interface clients' traffic is masqueraded out of must exist and be up.</summary>
public sealed class OutsideInterfaceCheck : IDoctorCheck<ServerFacts>
{
    public IEnumerable<DoctorLine> Check(ServerFacts facts)
    {
        if (facts.Setup?.Masquerade is null || facts.Outside is not { } outside)
            yield break;
        if (!outside.Exists)
            yield return DoctorLine.Fail($"outside interface {outside.Name} does not exist",
                "set masquerade to the interface towards the internet (ip route get 1.1.1.1 names it)");
        else if (!outside.IsUp)
            yield return DoctorLine.Fail($"outside interface {outside.Name} is down", $"run: ip link set {outside.Name} up");
        else
            yield return DoctorLine.Ok($"outside interface {outside.Name} is up");
    }
}
