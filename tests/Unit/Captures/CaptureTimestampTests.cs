using System.Buffers.Binary;
using MyVpn.Captures;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>
/// libpcap reads a record's seconds and microseconds as signed 32-bit numbers, so a damaged timestamp can
/// come back negative, which SharpPcap cannot turn into seconds again. Such a packet is still read and
/// decrypted, with the time set to 0 (found by CaptureFuzzTests at 10^6 cases: `myvpn pcap decrypt`
/// threw OverflowException).
/// </summary>
public sealed class CaptureTimestampTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-timestamp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Packet_whose_timestamp_reads_back_negative_is_decrypted_with_time_zero()
    {
        var c2s = Handshakes.Key(3);
        var s2c = Handshakes.Key(4);
        using var client = new SessionSealer(0x01020304, c2s);
        var packet = Packets.IPv4("10.0.0.2", "10.0.0.1", Packets.Pattern);
        var datagram = new byte[packet.Length + WireFormat.Overhead];
        packet.CopyTo(datagram, WireFormat.IvLength);
        Assert.True(client.TrySeal(datagram, packet.Length, out _));
        var path = Path.Combine(_dir, "capture.pcap");
        PcapFiles.Write(path, [new(new NetEndpoint(IPv4Address.Parse("192.0.2.2"), 51000), new NetEndpoint(IPv4Address.Parse("192.0.2.1"), 40000), datagram)]);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0xa1b2c3d4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes)); // written little-endian, microseconds
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 0xFFFFFFFF); // the first record's seconds
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), 0xFFFFFFFF); // and microseconds: both -1 as libpcap reads them
        File.WriteAllBytes(path, bytes);

        var packets = CaptureReader.Read(path).ToList();
        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(packets, new() { [0x01020304] = [new SessionKeys(0x01020304, c2s, s2c)] }, new CaptureOptions(), output);

        Assert.Equal((0UL, 0UL), (Assert.Single(packets).Time.Seconds, packets[0].Time.MicroSeconds));
        Assert.Equal(1, counts.Decrypted);
        Assert.Equal(packet, Assert.Single(PcapFiles.ReadRaw(output)));
    }
}
