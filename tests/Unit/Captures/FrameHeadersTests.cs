using System.Buffers.Binary;
using MyVpn.Captures;
using PacketDotNet;
using Xunit;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>
/// The capture reader's own header parsing: the link headers it understands, the IPv4/UDP/TCP length
/// checks, and what it leaves alone (later fragments, other protocols, nested tunnels).
/// </summary>
public sealed class FrameHeadersTests
{
    private static byte[] IPv4(byte protocol, byte[] transport, ushort fragment = 0, int? totalLength = null)
    {
        var packet = new byte[20 + transport.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(totalLength ?? packet.Length));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), fragment);
        packet[8] = 64;
        packet[9] = protocol;
        byte[] source = [192, 0, 2, 10], destination = [192, 0, 2, 1];
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        transport.CopyTo(packet, 20);
        return packet;
    }

    private static byte[] Udp(ushort from, ushort to, byte[] payload)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, from);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), to);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp, 8);
        return udp;
    }

    private static byte[] Tcp(uint sequence, int headerLength, byte[] payload)
    {
        var tcp = new byte[headerLength + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 51000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), 9525);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        tcp[12] = (byte)(headerLength / 4 << 4);
        payload.CopyTo(tcp, headerLength);
        return tcp;
    }

    private static byte[] Ethernet(byte[] ip, params ushort[] vlanTypes)
    {
        var frame = new List<byte>(new byte[12]);
        foreach (var type in vlanTypes)
            frame.AddRange([(byte)(type >> 8), (byte)type, 0, 7]);
        frame.AddRange([0x08, 0x00]);
        frame.AddRange(ip);
        return [.. frame];
    }

    [Fact]
    public void A_raw_udp_datagram_gives_its_endpoints_and_payload()
    {
        var frame = IPv4(17, Udp(51000, 40000, [1, 2, 3]));
        Assert.True(FrameHeaders.TryRead(LinkLayers.RawLegacy, frame, out var h));
        Assert.Equal(CapturedTransport.Udp, h.Transport);
        Assert.Equal("192.0.2.10:51000", h.Source.ToString());
        Assert.Equal("192.0.2.1:40000", h.Destination.ToString());
        Assert.Equal([1, 2, 3], frame.AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
    }

    [Fact]
    public void A_tcp_segment_skips_its_options_and_keeps_its_sequence_number()
    {
        var frame = IPv4(6, Tcp(0xDEADBEEF, 32, [9, 8]));
        Assert.True(FrameHeaders.TryRead(LinkLayers.Raw, frame, out var h));
        Assert.Equal(CapturedTransport.Tcp, h.Transport);
        Assert.Equal(0xDEADBEEFu, h.TcpSequence);
        Assert.Equal([9, 8], frame.AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
    }

    [Theory]
    [InlineData(new ushort[0])]
    [InlineData(new ushort[] { 0x8100 })]
    [InlineData(new ushort[] { 0x88A8, 0x8100 })]
    public void Ethernet_with_up_to_two_vlan_tags_is_read(ushort[] tags)
    {
        var frame = Ethernet(IPv4(17, Udp(1, 2, [7])), tags);
        Assert.True(FrameHeaders.TryRead(LinkLayers.Ethernet, frame, out var h));
        Assert.Equal([7], frame.AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
    }

    [Fact]
    public void Ethernet_with_three_vlan_tags_or_another_ethertype_is_skipped()
    {
        Assert.False(FrameHeaders.TryRead(LinkLayers.Ethernet, Ethernet(IPv4(17, Udp(1, 2, [])), 0x8100, 0x8100, 0x8100), out _));
        var arp = Ethernet(IPv4(17, Udp(1, 2, [])));
        arp[12] = 0x08; arp[13] = 0x06;
        Assert.False(FrameHeaders.TryRead(LinkLayers.Ethernet, arp, out _));
    }

    [Fact]
    public void A_linux_cooked_frame_is_read_after_its_16_byte_header()
    {
        var ip = IPv4(17, Udp(1, 2, [5, 5]));
        var frame = new byte[16 + ip.Length];
        frame[14] = 0x08;
        ip.CopyTo(frame, 16);
        Assert.True(FrameHeaders.TryRead(LinkLayers.LinuxSll, frame, out var h));
        Assert.Equal(16 + 20 + 8, h.PayloadOffset);
        Assert.Equal([5, 5], frame.AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
    }

    [Fact]
    public void Cut_short_malformed_fragmented_and_nested_packets_are_skipped()
    {
        var udp = Udp(1, 2, [1, 2, 3, 4]);
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(17, udp, totalLength: 20 + udp.Length + 1), out _)); // cut short
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(17, udp, totalLength: 19), out _));                 // shorter than its header
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(17, udp, fragment: 3), out _));                     // a later fragment
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(17, [1, 2, 3]), out _));                            // no room for UDP's header
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(6, Tcp(1, 20, [])[..19]), out _));                  // no room for TCP's header
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(6, Tcp(1, 60, [])[..40]), out _));                  // TCP options past the end
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, IPv4(4, IPv4(17, udp)), out _));                         // IP in IP: not followed
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, [0x45], out _));
        Assert.False(FrameHeaders.TryRead(LinkLayers.Raw, [], out _));
        Assert.False(FrameHeaders.TryRead(LinkLayers.Ieee80211, IPv4(17, udp), out _));
    }

    [Fact]
    public void A_first_fragment_still_gives_its_udp_header()
    {
        var frame = IPv4(17, Udp(1, 2, [4]), fragment: 0x2000); // more fragments, offset 0
        Assert.True(FrameHeaders.TryRead(LinkLayers.Raw, frame, out var h));
        Assert.Equal(CapturedTransport.Udp, h.Transport);
    }
}
