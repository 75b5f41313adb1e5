using MyVpn.Net;

namespace MyVpn.Server;

/// <summary>One client the server accepts: its name, its 256-bit pre-shared key, and optionally a fixed VPN address.</summary>
public sealed record ClientEntry(string Name, byte[] Key, IPv4Address? StaticAddress = null);
