using System.Globalization;
using System.Net;

namespace MyVpn.Doctor;

/// <summary>
/// Parses the kernel's socket tables (<c>/proc/net/tcp</c>, <c>tcp6</c>, <c>udp</c>, <c>udp6</c>) into the
/// sockets bound to a local port: TCP sockets in the LISTEN state (0A) and every UDP socket. Addresses
/// are hex in the kernel's byte order (each 32-bit word little-endian on x86), ports hex big-endian.
/// </summary>
public static class ProcNetSockets
{
    private const string TcpListen = "0A";

    public static IEnumerable<BoundSocket> Parse(string text, SocketProtocol protocol)
    {
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10)
                continue;
            if (protocol == SocketProtocol.Tcp && fields[3] != TcpListen)
                continue;
            var local = fields[1].Split(':');
            if (local.Length != 2
                || !ushort.TryParse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
                || !ulong.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                || Address(local[0]) is not { } address)
                continue;
            yield return new BoundSocket(protocol, address, port, inode);
        }
    }

    /// <summary>"0100007F" is 127.0.0.1; a 32-digit IPv6 address is four such words. Null if malformed.</summary>
    private static string? Address(string hex)
    {
        if (hex.Length is not (8 or 32))
            return null;
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                return null;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(word * 4), value);
        }
        return new IPAddress(bytes).ToString();
    }
}
