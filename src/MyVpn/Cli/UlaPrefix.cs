using System.Security.Cryptography;
using System.Text;
using MyVpn.Net;

namespace MyVpn.Cli;

/// <summary>
/// The IPv6 subnet of <c>ipv6 = true</c>: a unique local /64 (RFC 4193, fd00::/8 with a 40-bit global ID and
/// subnet ID 0). The global ID is the first 40 bits of SHA-256("myvpn-ula" | machine id | IPv4 subnet), so a
/// server keeps its prefix across restarts and reloads, and two servers (or two subnets on one host) get
/// different ones. It changes only with the host's machine id or the IPv4 subnet; <c>subnet6</c> pins it.
/// </summary>
internal static class UlaPrefix
{
    /// <summary>The ULA /64 of a host with <paramref name="machineId"/> serving <paramref name="subnet"/>.</summary>
    public static IPv6Subnet For(string machineId, IPv4Subnet subnet)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"myvpn-ula\n{machineId.Trim()}\n{subnet}"));
        Span<byte> address = stackalloc byte[IPv6Address.Size];
        address[0] = 0xFD;
        hash.AsSpan(0, 5).CopyTo(address[1..]);
        return new IPv6Subnet(IPv6Address.Read(address), 64);
    }

    /// <summary>The prefix of this host: its machine id (/etc/machine-id, else D-Bus's copy, else the host name).</summary>
    public static IPv6Subnet ForThisHost(IPv4Subnet subnet) => For(MachineId(), subnet);

    private static string MachineId()
    {
        foreach (var path in (string[])["/etc/machine-id", "/var/lib/dbus/machine-id"])
        {
            try
            {
                var id = File.ReadAllText(path).Trim();
                if (id.Length > 0)
                    return id;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return Environment.MachineName;
    }
}
