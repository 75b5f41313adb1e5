namespace MyVpn.Doctor;

/// <summary>
/// The tun MTU plus the tunnel's overhead must fit the MTU of the device the route towards the server
/// uses. The tun MTU is the running tun device's, else the one the probe's handshake was granted, else
/// the server's default (the server pushes its own).
/// </summary>
public sealed class ClientMtuCheck : IDoctorCheck<ClientFacts>
{
    private const int DefaultMtu = 1420;

    public IEnumerable<DoctorLine> Check(ClientFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        if (facts.PathDevice is not { Exists: true } path)
        {
            yield return DoctorLine.Fail($"no route to the server {setup.Server.AddressText}", "add a route (or a default route) towards it");
            yield break;
        }
        var mtu = facts.TunDevice is { Exists: true } tun ? tun.Mtu : facts.Udp.GrantedMtu ?? DefaultMtu;
        yield return TunnelMtu.Judge(mtu, path, $"the server {setup.Server.AddressText}", "the MTU is the server's to set: set mtu (--mtu) on the server to");
    }
}
