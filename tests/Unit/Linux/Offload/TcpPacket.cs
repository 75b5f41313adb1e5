using System.Buffers.Binary;

namespace MyVpn.Tests.Unit.Linux.Offload;

/// <summary>
/// Builds TCP/IPv4 packets for the offload tests, and checks checksums with a reference implementation
/// written the plain way (16-bit big-endian words, one at a time), independent of the daemon's.
/// </summary>
internal sealed record TcpPacket
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80;

    public byte[] Source { get; init; } = [10, 0, 0, 2];
    public byte[] Destination { get; init; } = [10, 0, 0, 3];
    public ushort SourcePort { get; init; } = 40001;
    public ushort DestinationPort { get; init; } = 5001;
    public uint Seq { get; init; } = 1_000_000;
    public uint AckNumber { get; init; } = 77;
    public byte Flags { get; init; } = Ack;
    public ushort Id { get; init; } = 0x1234;
    public byte Ttl { get; init; } = 64;
    public byte Tos { get; init; }
    public bool DontFragment { get; init; } = true;
    public ushort Window { get; init; } = 502;
    public byte[] TcpOptions { get; init; } = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]; // NOP NOP timestamps
    public byte[] IpOptions { get; init; } = [];
    public byte[] Payload { get; init; } = [];

    public static byte[] PayloadOf(int length, int seed = 0)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = (byte)(i * 7 + seed * 13 + (i >> 8));
        return bytes;
    }

    public int IpHeaderLength => 20 + IpOptions.Length;
    public int HeaderLength => IpHeaderLength + 20 + TcpOptions.Length;

    public byte[] Build()
    {
        var ipl = IpHeaderLength;
        var tcpl = 20 + TcpOptions.Length;
        var packet = new byte[ipl + tcpl + Payload.Length];
        packet[0] = (byte)(0x40 | (ipl / 4));
        packet[1] = Tos;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), Id);
        packet[6] = DontFragment ? (byte)0x40 : (byte)0;
        packet[8] = Ttl;
        packet[9] = 6;
        Source.CopyTo(packet, 12);
        Destination.CopyTo(packet, 16);
        IpOptions.CopyTo(packet, 20);
        var tcp = packet.AsSpan(ipl);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], Seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], AckNumber);
        tcp[12] = (byte)((tcpl / 4) << 4);
        tcp[13] = Flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], Window);
        TcpOptions.CopyTo(tcp[20..]);
        Payload.CopyTo(tcp[tcpl..]);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Reference.Checksum(packet.AsSpan(0, ipl)));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Reference.TcpChecksum(packet));
        return packet;
    }
}
