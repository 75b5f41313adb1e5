using MyVpn.Net;

namespace MyVpn.Server;

/// <summary>What a host or a test may see of a session.</summary>
public sealed record SessionInfo(string Name, uint SessionId, IPv4Address Address, ushort Port, IPv4Endpoint Endpoint);
