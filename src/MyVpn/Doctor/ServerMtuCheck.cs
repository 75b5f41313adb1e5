namespace MyVpn.Doctor;

/// <summary>
/// The tun MTU (pushed to every client) plus the tunnel's overhead must fit the MTU of the outside
/// interface: the masquerade interface and the device of the route towards the internet.
/// </summary>
public sealed class ServerMtuCheck : IDoctorCheck<ServerFacts>
{
    private const string Fix = "set mtu (--mtu) to";

    public IEnumerable<DoctorLine> Check(ServerFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        var devices = new List<(InterfaceFacts Device, string Towards)>();
        if (facts.Outside is { Exists: true } outside)
            devices.Add((outside, "the internet, masquerade"));
        if (facts.InternetRoute is { Exists: true } route && devices.All(d => d.Device.Name != route.Name))
            devices.Add((route, "the internet, default route"));
        if (devices.Count == 0)
        {
            yield return DoctorLine.Ok($"tun MTU {setup.Mtu}: no route towards the internet to compare with");
            yield break;
        }
        foreach (var (device, towards) in devices)
            yield return TunnelMtu.Judge(setup.Mtu, device, towards, Fix);
    }
}
