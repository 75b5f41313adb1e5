using System.Buffers.Binary;
using MyVpn.Linux.Offload;
using Xunit;

namespace MyVpn.Tests.Unit.Linux.Offload;

public sealed class InternetChecksumTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(1379)]
    [InlineData(1380)]
    [InlineData(65515)]
    public void Sum_agrees_with_the_word_by_word_reference(int length)
    {
        var data = TcpPacket.PayloadOf(length, seed: length);
        for (var i = 0; i < data.Length; i += 97)
            data[i] = 0xFF; // carries

        Assert.Equal(Reference.Fold(Reference.Add(data, 12345)), InternetChecksum.Fold(InternetChecksum.Sum(data, 12345)));
    }

    [Fact]
    public void A_non_GSO_TCP_packet_with_NEEDS_CSUM_gets_its_checksum_completed()
    {
        var spec = new TcpPacket { Payload = TcpPacket.PayloadOf(999) };
        var packet = spec.Build();
        var expected = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(36));
        // as the kernel hands it over: the pseudo-header sum (not complemented) in the field
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(36), Reference.Fold(Reference.PseudoHeader(packet, 6)));

        Assert.True(InternetChecksum.CompletePartial(packet, start: 20, offset: 16));

        Assert.Equal(expected, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(36)));
        Assert.True(Reference.TcpChecksumValid(packet));
    }

    [Fact]
    public void A_UDP_packet_with_NEEDS_CSUM_gets_its_checksum_completed()
    {
        var packet = new byte[20 + 8 + 33];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[9] = 17;
        byte[] addresses = [10, 0, 0, 2, 10, 0, 0, 3];
        addresses.CopyTo(packet, 12);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 5353);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 53);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 41);
        TcpPacket.PayloadOf(33).CopyTo(packet, 28);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), Reference.Fold(Reference.PseudoHeader(packet, 17)));

        Assert.True(InternetChecksum.CompletePartial(packet, start: 20, offset: 6));

        Assert.Equal(0xFFFF, Reference.Fold(Reference.Add(packet.AsSpan(20), Reference.PseudoHeader(packet, 17))));
    }

    [Theory]
    [InlineData(20, 60)]   // field past the end
    [InlineData(200, 16)]  // start past the end
    [InlineData(21, 16)]   // odd start
    public void NEEDS_CSUM_positions_outside_the_packet_are_refused(int start, int offset)
    {
        var packet = new TcpPacket { Payload = TcpPacket.PayloadOf(10) }.Build();
        var before = packet.ToArray();

        Assert.False(InternetChecksum.CompletePartial(packet, start, offset));
        Assert.Equal(before, packet);
    }
}
