using MyVpn.Captures;
using MyVpn.Net;
using MyVpn.Tests.Unit.Support;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;
using Xunit;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>
/// A capture taken with a snap length (tcpdump -s 60) holds packets cut short: the IP and UDP headers
/// announce more bytes than were recorded. The reader skips such a packet and reads on (found by
/// CaptureFuzzTests: it used to throw ArgumentException out of `myvpn pcap inspect`).
/// </summary>
public sealed class TruncatedCaptureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-truncated-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(LinkLayers.Ethernet, 14 + 20 + 8 + 10)]
    [InlineData(LinkLayers.RawLegacy, 20 + 8 + 10)]
    [InlineData(LinkLayers.RawLegacy, 20 + 4)]
    public void Packet_cut_short_by_the_snap_length_is_skipped_and_the_next_one_read(LinkLayers link, int snapLength)
    {
        var client = new NetEndpoint(IPv4Address.Parse("192.0.2.2"), 51000);
        var server = new NetEndpoint(IPv4Address.Parse("192.0.2.1"), 40000);
        var whole = Path.Combine(_dir, "whole.pcap");
        PcapFiles.Write(whole, [new(client, server, new byte[100]), new(server, client, new byte[40])], link);
        var frames = PcapFiles.ReadFrames(whole);

        var cut = Path.Combine(_dir, "cut.pcap");
        var writer = new CaptureFileWriterDevice(cut, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = link });
        writer.Write(new RawCapture(link, new PosixTimeval(1, 0), frames[0][..snapLength]));
        writer.Write(new RawCapture(link, new PosixTimeval(2, 0), frames[1]));
        writer.Close();

        var packets = CaptureReader.Read(cut).ToList();

        var only = Assert.Single(packets);
        Assert.Equal((2, server, client, 40), (only.Number, only.Source, only.Destination, only.Payload.Length));
    }
}
