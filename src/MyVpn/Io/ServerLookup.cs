using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>
/// The answer to one lookup of the server's name: its handshake endpoints in the resolver's order (IPv4,
/// IPv6 or both), or, when there are none, why (one line, the same text for the same cause).
/// </summary>
public sealed record ServerLookup(string Name, IReadOnlyList<NetEndpoint> Endpoints, string? Error)
{
    public static ServerLookup Found(string name, IReadOnlyList<NetEndpoint> endpoints) =>
        endpoints.Count > 0 ? new(name, endpoints, null) : Failed(name, "the name has no IPv4 or IPv6 address");

    public static ServerLookup Failed(string name, string error) => new(name, [], error);

    public bool Succeeded => Endpoints.Count > 0;
}
