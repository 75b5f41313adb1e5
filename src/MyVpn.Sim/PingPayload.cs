using System.Text;

namespace MyVpn.Sim;

/// <summary>
/// The payload every simulated ping carries: a recognisable marker (the plaintext checker looks for
/// it on the wire), the ping's serial number (unique in the run) and a filler pattern.
/// </summary>
internal static class PingPayload
{
    public static readonly byte[] Marker = "MYVPN-PING-PLAINTEXT:"u8.ToArray();

    private const string Filler = ":abcdefghijklmnopqrstuvwxyz0123456789";

    public static byte[] Create(uint serial) => Encoding.ASCII.GetBytes($"MYVPN-PING-PLAINTEXT:{serial:D10}{Filler}");

    /// <summary>Reads the serial back; false when the payload is not a simulator ping.</summary>
    public static bool TryReadSerial(ReadOnlySpan<byte> payload, out uint serial)
    {
        serial = 0;
        if (payload.Length < Marker.Length + 10 || !payload.StartsWith(Marker))
            return false;
        return uint.TryParse(Encoding.ASCII.GetString(payload.Slice(Marker.Length, 10)), out serial);
    }
}
