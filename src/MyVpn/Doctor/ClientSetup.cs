using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>
/// The parts of the client's resolved config that the doctor's checks look at; <see cref="AcceptRoutes"/>
/// and <see cref="AcceptDns"/> false when the client refuses what the server pushes.
/// </summary>
public sealed record ClientSetup(NetEndpoint Server, string Name, string Tun, bool DefaultRoute, bool AcceptRoutes = true, bool AcceptDns = true);
