using System.Buffers.Binary;
using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Rekeying on real tun devices and sockets: with <c>--rekey-interval 5</c> both clients rekey every few
/// seconds while pc1 pings pc2 (through both sessions) every 0.2 s for 30 s: no ping is lost, the WAN
/// capture shows a new session id on each session port at every rekey, and the capture tools take a
/// port with many session ids (IVs unique per session, every datagram decrypted with the key log).
/// </summary>
public sealed class RekeyTests
{
    private const ushort PingId = 0x4d60;
    private const int Pings = 150; // 30 s at 0.2 s

    [Fact]
    public async Task Thirty_seconds_of_pings_across_rekeys_every_five_seconds_lose_nothing()
    {
        using var world = VpnWorld.Create();
        var wan = Path.Combine(world.Directory, "wan.pcap");
        await world.StartServer(["--config", world.ServerConfig, "--rekey-interval", "5", "--keylog", world.KeyLogPath]);

        bool answered;
        using (var capture = await PacketCapture.Start(world.Net.Server, "eth0", wan, KeyLogRoundTripTests.WanFilter))
        {
            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
            await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
            answered = EchoPing.Run(world.Net.Pc1, "10.0.0.3", PingId, Pings);
            await capture.Stop();
            Assert.True(capture.DroppedByKernel == 0, $"tcpdump lost packets, the capture is incomplete\n{capture}");
        }
        Assert.True(answered, $"pings were lost\n{world.Logs()}");

        // the session ids on each session port: the first 4 bytes of each datagram's payload
        var idsByPort = PcapFile.ReadUdp(wan)
            .Where(d => d.Payload.Length >= 32)
            .GroupBy(d => d.Source == Topology.ServerWan ? d.SourcePort : d.DestinationPort)
            .ToDictionary(g => g.Key, g => g.Select(d => BinaryPrimitives.ReadUInt32BigEndian(d.Payload)).Distinct().Count());
        Assert.Equal(2, idsByPort.Count);
        Assert.All(idsByPort, p => Assert.True(p.Value >= 5, $"port {p.Key}: {p.Value} session ids\n{world.Logs()}"));

        var inspect = MyVpnBinary.Run("pcap", "inspect", wan);
        Assert.True(inspect.Succeeded, inspect.ToString());
        Assert.Equal(idsByPort.Values.Sum(), Regex.Matches(inspect.Output, "IVs: all unique").Count);
        var inner = Path.Combine(world.Directory, "inner.pcap");
        var decrypt = MyVpnBinary.Run("pcap", "decrypt", wan, "--keylog", world.KeyLogPath, "-o", inner);
        Assert.True(decrypt.Succeeded, decrypt.ToString());
        // every ping crossed the tunnel four times (pc1 -> s1 -> pc2 and back), under whichever keys were current
        Assert.Matches($@"^{4 * Pings} packets decrypted, \d+ keepalives, 0 without a key, 0 failed authentication; \d+ rekey requests\n", decrypt.Output);
    }
}
