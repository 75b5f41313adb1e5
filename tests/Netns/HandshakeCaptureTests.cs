using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using PacketDotNet;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Records captures/handshakes-and-pings.pcap and its key log (the server's): pc1's and pc2's handshakes,
/// a client with the wrong key refused (Reject), three pings pc1 -> pc2 and three pc1 -> 10.0.0.1, and the
/// keepalive each client sends as its session starts. Every run records a fresh one and checks it; only
/// with UPDATE_SNAPSHOTS=1 does it replace the committed pair, which tests/Unit/Captures/CommittedCaptureTests
/// checks (without root) against the same expectations.
/// </summary>
public sealed class HandshakeCaptureTests
{
    public const string CaptureName = "handshakes-and-pings.pcap";
    public const string KeyLogName = "handshakes-and-pings.keys.log";
    private const ushort PingToPc2 = 0x4d56;
    private const ushort PingToServer = 0x4d57;
    private const int Pings = 3;

    /// <summary>The inner packets: pc1 -> pc2 crosses the tunnel twice (client -> server, server -> other client), pc1 -> 10.0.0.1 once.</summary>
    private static IEnumerable<Echo> ExpectedEchoes() => Enumerable.Range(1, Pings).SelectMany(n => (Echo[])[
        new(IcmpV4TypeCode.EchoRequest, PingToPc2, (ushort)n, "10.0.0.2", "10.0.0.3", EchoPing.PayloadText),
        new(IcmpV4TypeCode.EchoRequest, PingToPc2, (ushort)n, "10.0.0.2", "10.0.0.3", EchoPing.PayloadText),
        new(IcmpV4TypeCode.EchoReply, PingToPc2, (ushort)n, "10.0.0.3", "10.0.0.2", EchoPing.PayloadText),
        new(IcmpV4TypeCode.EchoReply, PingToPc2, (ushort)n, "10.0.0.3", "10.0.0.2", EchoPing.PayloadText),
        new(IcmpV4TypeCode.EchoRequest, PingToServer, (ushort)n, "10.0.0.2", "10.0.0.1", EchoPing.PayloadText),
        new(IcmpV4TypeCode.EchoReply, PingToServer, (ushort)n, "10.0.0.1", "10.0.0.2", EchoPing.PayloadText),
    ]);

    [Fact]
    public async Task Handshakes_a_refused_client_and_pings_recorded_then_inspected_and_decrypted()
    {
        using var world = VpnWorld.Create();
        var wan = Path.Combine(world.Directory, "wan.pcap");
        var wrongKey = Path.Combine(world.Directory, "wrong.key");
        Assert.True(MyVpnBinary.Run("genkey", "-o", wrongKey).Succeeded);
        await world.StartServer(["--config", world.ServerConfig, "--keylog", world.KeyLogPath]);

        bool pingedPc2, pingedServer;
        RunningProcess impostor;
        using (var capture = await PacketCapture.Start(world.Net.Server, "eth0", wan, KeyLogRoundTripTests.WanFilter))
        {
            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
            await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
            impostor = world.StartClientNoWait(world.Net.Pc2, "impostor", "--name", "pc2", "--key-file", wrongKey, "--tun", "tun9");
            Assert.True(await impostor.WaitForExit(TimeSpan.FromSeconds(30)), impostor.ToString());
            pingedPc2 = EchoPing.Run(world.Net.Pc1, "10.0.0.3", PingToPc2, Pings);
            pingedServer = EchoPing.Run(world.Net.Pc1, "10.0.0.1", PingToServer, Pings);
            await capture.Stop();
            Assert.True(capture.DroppedByKernel == 0, $"tcpdump lost packets, the capture is incomplete\n{capture}");
        }
        Assert.Equal(3, impostor.ExitCode);
        Assert.True(pingedPc2 && pingedServer, world.Logs());
        Assert.InRange(new FileInfo(wan).Length, 1, 50 * 1024);

        var inspect = MyVpnBinary.Run("pcap", "inspect", wan);
        Assert.True(inspect.Succeeded, inspect.ToString());
        var accepted = @"ClientHello\(97\) ServerHello\(97\) ClientAuth\(117\) ServerAccept\(99\)\n";
        Assert.Matches($@"handshake 192\.0\.2\.2:\d+ -> 192\.0\.2\.1:9525: {accepted}", inspect.Output);
        Assert.Matches($@"handshake 192\.0\.2\.3:\d+ -> 192\.0\.2\.1:9525: {accepted}", inspect.Output);
        Assert.Matches(@"handshake 192\.0\.2\.3:\d+ -> 192\.0\.2\.1:9525: ClientHello\(97\) ServerHello\(97\) ClientAuth\(117\) Reject\(1\)\n", inspect.Output);
        Assert.Equal(3, Regex.Matches(inspect.Output, "^handshake ", RegexOptions.Multiline).Count);
        Assert.Equal(2, Regex.Matches(inspect.Output, "IVs: all unique").Count);

        var inner = Path.Combine(world.Directory, "inner.pcap");
        var decrypt = MyVpnBinary.Run("pcap", "decrypt", wan, "--keylog", world.KeyLogPath, "-o", inner);
        Assert.True(decrypt.Succeeded, decrypt.ToString());
        Assert.Matches($@"^{ExpectedEchoes().Count()} packets decrypted, \d+ keepalives, 0 without a key, 0 failed authentication\n", decrypt.Output);
        Assert.Equal(InnerPackets.Multiset(ExpectedEchoes()), InnerPackets.Multiset(InnerPackets.Echoes(PcapFile.ReadIPv4(inner))));

        var committedCapture = Path.Combine(RepoPaths.Captures, CaptureName);
        var committedKeyLog = Path.Combine(RepoPaths.Captures, KeyLogName);
        if (Snapshot.Updating)
        {
            File.Copy(wan, committedCapture, overwrite: true);
            File.Copy(world.KeyLogPath, committedKeyLog, overwrite: true);
            // The daemon's key log is 0600; this one holds test keys only, for anyone to read.
            File.SetUnixFileMode(committedKeyLog, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        Assert.True(File.Exists(committedCapture) && File.Exists(committedKeyLog),
            $"{committedCapture} or {committedKeyLog} is missing: run with UPDATE_SNAPSHOTS=1 to record them, then review and commit them");
    }
}
