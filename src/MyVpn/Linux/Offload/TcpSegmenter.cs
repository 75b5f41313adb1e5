using System.Buffers.Binary;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Splits a TCP/IPv4 super-segment (what a tun device with TSO hands over: up to 64 KB of payload
/// behind one IP and TCP header, virtio GSO type TCPV4) into packets of at most GsoSize payload bytes,
/// the way the kernel's own segmentation would: headers copied in front of each, IP total length,
/// IP ID (+1 per segment) and header checksum, TCP sequence number, FIN/PSH only on the last segment,
/// CWR only on the first, and the full TCP checksum. One segment per call, so a caller whose batch is
/// full takes the rest later. Holds a reference to the source bytes until the last segment is out.
/// </summary>
internal sealed class TcpSegmenter
{
    private const byte FlagFin = 0x01;
    private const byte FlagPsh = 0x08;
    private const byte FlagCwr = 0x80;

    private byte[] _source = [];
    private int _start;
    private int _ipHeaderLength;
    private int _headerLength;
    private int _payloadLength;
    private int _segmentSize;
    private int _next;
    private int _count;

    /// <summary>Segments not written yet.</summary>
    public int Remaining => _count - _next;

    public bool HasMore => _next < _count;

    /// <summary>Segments the current super-segment splits into.</summary>
    public int SegmentCount => _count;

    /// <summary>
    /// Takes the super-segment at <c>source[offset .. offset + length)</c> (an IPv4 packet, no virtio header)
    /// to split into payloads of <paramref name="segmentSize"/> bytes. False, and nothing pending, when it is
    /// not a TCP/IPv4 packet this class can split (bad lengths, fragment, no payload, zero segment size).
    /// </summary>
    public bool Start(byte[] source, int offset, int length, int segmentSize)
    {
        Clear();
        var packet = source.AsSpan(offset, length);
        if (length < 20 || packet[0] >> 4 != 4 || segmentSize <= 0)
            return false;
        var ipHeaderLength = (packet[0] & 0x0F) * 4;
        if (ipHeaderLength < 20 || packet[9] != 6 || (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0)
            return false; // not TCP, or a fragment (MF or an offset)
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (totalLength >= ipHeaderLength && totalLength <= length)
            length = totalLength; // trailing bytes past the IP datagram are not part of it
        if (length < ipHeaderLength + 20)
            return false;
        var headerLength = ipHeaderLength + (packet[ipHeaderLength + 12] >> 4) * 4;
        if (headerLength < ipHeaderLength + 20 || headerLength >= length)
            return false;
        _source = source;
        _start = offset;
        _ipHeaderLength = ipHeaderLength;
        _headerLength = headerLength;
        _payloadLength = length - headerLength;
        _segmentSize = segmentSize;
        _count = (_payloadLength + segmentSize - 1) / segmentSize;
        _next = 0;
        return true;
    }

    /// <summary>Bytes the next segment takes (0 when none is left).</summary>
    public int NextLength => HasMore ? _headerLength + Math.Min(_segmentSize, _payloadLength - _next * _segmentSize) : 0;

    /// <summary>
    /// Writes the next segment, a complete IPv4/TCP packet, at the start of <paramref name="destination"/>.
    /// False (nothing written, the segment still pending) when there is none left or it does not fit.
    /// </summary>
    public bool TryWriteNext(Span<byte> destination, out int written)
    {
        written = NextLength;
        if (written == 0 || written > destination.Length)
        {
            written = 0;
            return false;
        }
        var i = _next;
        var source = _source.AsSpan(_start);
        var payloadStart = _headerLength + i * _segmentSize;
        var payloadLength = written - _headerLength;
        source[.._headerLength].CopyTo(destination);
        source.Slice(payloadStart, payloadLength).CopyTo(destination[_headerLength..]);

        var ip = destination[.._ipHeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)written);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(source[4..]) + i));
        InternetChecksum.UpdateIPv4Header(ip);

        var tcp = destination[_ipHeaderLength..written];
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], BinaryPrimitives.ReadUInt32BigEndian(source[(_ipHeaderLength + 4)..]) + (uint)(i * _segmentSize));
        if (i != _count - 1)
            tcp[13] &= unchecked((byte)~(FlagFin | FlagPsh));
        if (i != 0)
            tcp[13] &= unchecked((byte)~FlagCwr);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], 0);
        var pseudo = InternetChecksum.PseudoHeaderSum(ip[12..], ip[16..], 6, tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Complement(InternetChecksum.Sum(tcp, pseudo)));

        _next++;
        if (_next == _count)
            Clear();
        return true;
    }

    /// <summary>Forgets the current super-segment (the rest of it is dropped).</summary>
    public void Clear()
    {
        _source = [];
        _next = 0;
        _count = 0;
    }
}
