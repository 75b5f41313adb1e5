using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Key logs on real traffic: a capture of the server's WAN taken before the clients connect holds the
/// handshakes and every data packet; `myvpn pcap decrypt` with the key log gives back exactly the pings
/// sent, and a TCP transfer whose bytes hash to what the source sent. The daemons run with their kernel
/// offloads on (the default), so the capture holds runs of datagrams sent with UDP GSO as single
/// oversized UDP payloads, which the capture tools split back (docs/keylog.md).
/// </summary>
public sealed partial class KeyLogRoundTripTests
{
    /// <summary>What tcpdump keeps: the handshake port and the session port range (the daemon's defaults).</summary>
    public const string WanFilter = "tcp port 9525 or udp portrange 40000-40999";

    private const ushort PingId = 0x4d56;
    private const int Pings = 3;
    private const int TransferBytes = 300 * 1024;
    private const ushort TransferPort = 5001;

    [Fact]
    public async Task Capture_decrypted_with_the_key_log_gives_back_exactly_the_pings_and_the_transfer()
    {
        using var world = VpnWorld.Create();
        var pc1Keys = Path.Combine(world.Directory, "pc1-keys.log");
        var pc2Keys = Path.Combine(world.Directory, "pc2-keys.log");
        var wan = Path.Combine(world.Directory, "wan.pcap");
        await world.StartServer(["--config", world.ServerConfig, "--keylog", world.KeyLogPath]);

        bool pinged;
        string sent;
        using (var capture = await PacketCapture.Start(world.Net.Server, "eth0", wan, WanFilter))
        {
            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--keylog", pc1Keys);
            await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"), "--keylog", pc2Keys);
            pinged = EchoPing.Run(world.Net.Pc1, "10.0.0.3", PingId, Pings);
            sent = await Transfer(world);
            await capture.Stop();
            Assert.True(capture.DroppedByKernel == 0, $"tcpdump lost packets, the capture is incomplete\n{capture}");
        }
        Assert.True(pinged, world.Logs());

        // Each client logged its one session, the same line as the server's for that session.
        var serverLines = SessionLines(world.KeyLogPath);
        var clientLines = SessionLines(pc1Keys).Concat(SessionLines(pc2Keys)).ToList();
        Assert.Equal(2, clientLines.Count);
        Assert.Equal(clientLines.Order(), serverLines.Order());

        var inspect = MyVpnBinary.Run("pcap", "inspect", wan);
        Assert.True(inspect.Succeeded, inspect.ToString());
        foreach (var client in (string[])[Topology.Pc1Wan, Topology.Pc2Wan])
            Assert.Matches($@"handshake {Regex.Escape(client)}:\d+ -> {Regex.Escape(Topology.ServerWan)}:9525: ClientHello\(97\) ServerHello\(97\) ClientAuth\(117\) ServerAccept\(99\)\n", inspect.Output);
        foreach (var line in serverLines)
            Assert.Contains($"session {line.Split(' ')[1]}: client ", inspect.Output);
        Assert.Equal(2, Regex.Matches(inspect.Output, "IVs: all unique").Count);
        Assert.DoesNotContain("not MyVpn", inspect.Output);
        // the transfer went out in UDP GSO runs, which the capture holds as single payloads
        Assert.Matches(@"\d+ captured packets held runs of \d+ datagrams", inspect.Output);

        var inner = Path.Combine(world.Directory, "inner.pcap");
        var decrypt = MyVpnBinary.Run("pcap", "decrypt", wan, "--keylog", world.KeyLogPath, "-o", inner);
        Assert.True(decrypt.Succeeded, decrypt.ToString());
        Assert.Matches(@"^\d+ packets decrypted, \d+ keepalives, 0 without a key, 0 failed authentication\n", decrypt.Output);
        var packets = PcapFile.ReadIPv4(inner);

        // pc1 -> pc2 crosses the tunnel twice: each request on pc1 -> server and server -> pc2, each reply
        // on pc2 -> server and server -> pc1. Nothing else in the tunnel is ICMP.
        var expected = Enumerable.Range(1, Pings).SelectMany(seq => (Echo[])[
            new(PacketDotNet.IcmpV4TypeCode.EchoRequest, PingId, (ushort)seq, "10.0.0.2", "10.0.0.3", EchoPing.PayloadText),
            new(PacketDotNet.IcmpV4TypeCode.EchoRequest, PingId, (ushort)seq, "10.0.0.2", "10.0.0.3", EchoPing.PayloadText),
            new(PacketDotNet.IcmpV4TypeCode.EchoReply, PingId, (ushort)seq, "10.0.0.3", "10.0.0.2", EchoPing.PayloadText),
            new(PacketDotNet.IcmpV4TypeCode.EchoReply, PingId, (ushort)seq, "10.0.0.3", "10.0.0.2", EchoPing.PayloadText),
        ]);
        Assert.Equal(InnerPackets.Multiset(expected), InnerPackets.Multiset(InnerPackets.Echoes(packets)));

        var stream = InnerPackets.TcpStream(packets, "10.0.0.2", "10.0.0.3", TransferPort, TransferBytes);
        Assert.Equal(sent, $"{TransferBytes} {InnerPackets.Sha256(stream)}");
    }

    /// <summary>Sends <see cref="TransferBytes"/> random bytes pc1 -> pc2 through the tunnel; returns "size sha256" as the source computed it.</summary>
    private static Task<string> Transfer(VpnWorld world) =>
        TcpTransfer.Run(world.Net.Pc1, world.Net.Pc2, "10.0.0.3", TransferPort, TransferBytes, world.Logs);

    /// <summary>The MYVPN_SESSION lines of a key log (comments left out).</summary>
    internal static List<string> SessionLines(string keyLog) =>
        File.ReadAllLines(keyLog).Where(l => l.StartsWith("MYVPN_SESSION ", StringComparison.Ordinal)).ToList();
}
