using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>The parts of the client's resolved config that the doctor's checks look at.</summary>
public sealed record ClientSetup(IPv4Endpoint Server, string Name, string Tun, bool DefaultRoute);
