namespace MyVpn.Doctor;

/// <summary>
/// A socket bound to a local port (a listening TCP socket or a bound UDP one), as /proc/net/{tcp,udp}[6]
/// list them, with the process holding it when it could be found (<see cref="OwnerPid"/> 0: unknown).
/// </summary>
/// <param name="Address">The local address as text: "0.0.0.0", "::", "192.0.2.1"...</param>
public sealed record BoundSocket(SocketProtocol Protocol, string Address, ushort Port, ulong Inode, int OwnerPid = 0, string? OwnerName = null)
{
    /// <summary>True when binding <paramref name="address"/> to the same port would fail because of this socket.</summary>
    public bool Overlaps(string address) =>
        Address is "0.0.0.0" or "::" || address == "0.0.0.0" || Address == address || Address == $"::ffff:{address}";

    /// <summary>"python3 (pid 812)", or "another program" when the owner is unknown.</summary>
    public string OwnerText => OwnerPid > 0 ? $"{OwnerName ?? "?"} (pid {OwnerPid})" : "another program";
}
