namespace MyVpn.Protocol;

/// <summary>
/// The numbers of the wire format (docs/protocol.md, version 1). "Specification" values are
/// fixed by the protocol; changing one is a new protocol version.
/// </summary>
public static class WireFormat
{
    public const byte Version = 1;

    /// <summary>A data packet starts with a 16-byte IV: session id (4) | counter (8) | zero (4).</summary>
    public const int IvLength = 16;

    /// <summary>The AES-GCM nonce is the IV's first 12 bytes; the whole IV is authenticated as associated data.</summary>
    public const int NonceLength = 12;

    public const int TagLength = 16;

    /// <summary>What a data packet adds to the inner packet.</summary>
    public const int Overhead = IvLength + TagLength;

    /// <summary>What the tunnel adds to an inner packet on an IPv4 path: the outer IPv4 header (20), UDP (8), IV and tag.</summary>
    public const int PathOverheadIPv4 = 20 + 8 + Overhead;

    /// <summary>What the tunnel adds to an inner packet on an IPv6 path: the outer IPv6 header (40), UDP (8), IV and tag.</summary>
    public const int PathOverheadIPv6 = 40 + 8 + Overhead;

    public const int KeyLength = 32;

    /// <summary>The largest inner packet a data packet may carry (IPv4's own limit).</summary>
    public const int MaxInnerPacket = 65535 - 20 - 8 - Overhead;

    /// <summary>
    /// The hard limit: no packet is sealed or opened at this counter or above (2^23 packets per key, the
    /// AES-GCM usage limit QUIC and TLS 1.3 set). Sessions rekey long before (<see cref="SoftCounterLimit"/>).
    /// </summary>
    public const ulong MaxCounter = 1UL << 23;

    /// <summary>The server asks for a rekey once either direction's counter reaches this (2^22).</summary>
    public const ulong SoftCounterLimit = 1UL << 22;

    /// <summary>
    /// The plaintext of a rekey request (server to client, sealed like any data packet): exactly this one
    /// byte. No IP packet is one byte long, and 0x01 has IP version 0, so it can never be taken for one.
    /// </summary>
    public const byte RekeyRequest = 0x01;

    /// <summary>The TCP port handshakes are served on unless configured otherwise.</summary>
    public const ushort DefaultHandshakePort = 9525;

    /// <summary>
    /// The first of the UDP ports a server grants sessions from unless configured otherwise (through
    /// <see cref="DefaultLastSessionPort"/>, inclusive). With <see cref="DefaultHandshakePort"/>, these are
    /// the ports by which MyVpn's traffic is recognised, by the server's defaults and by the capture tools.
    /// </summary>
    public const ushort DefaultFirstSessionPort = 40000;

    /// <summary>The last of the default session ports (inclusive); see <see cref="DefaultFirstSessionPort"/>.</summary>
    public const ushort DefaultLastSessionPort = 40999;
}
