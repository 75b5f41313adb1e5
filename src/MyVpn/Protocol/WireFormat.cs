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

    public const int KeyLength = 32;

    /// <summary>The largest inner packet a data packet may carry (IPv4's own limit).</summary>
    public const int MaxInnerPacket = 65535 - 20 - 8 - Overhead;

    /// <summary>A sender stops at this counter; the session must be renewed before (2^60 packets).</summary>
    public const ulong MaxCounter = 1UL << 60;

    /// <summary>The TCP port handshakes are served on unless configured otherwise.</summary>
    public const ushort DefaultHandshakePort = 9525;
}
