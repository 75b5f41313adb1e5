using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Real traffic on the WAN, captured at the server, against the wire format: each datagram on a
/// session port is IV | ciphertext | tag, no IV repeats under a key, and the ping's payload pattern
/// is never in clear. captures/ keeps one such capture and its summary; both the committed capture
/// and a fresh one must match that summary.
/// </summary>
[Collection(TwoClientsCollection.Name)]
public sealed class WireFormatTests(TwoClientsFixture fixture)
{
    private const string CaptureName = "ping-pc1-pc2.pcap";
    private const string SummaryName = "ping-pc1-pc2.summary.txt";

    private readonly VpnWorld _world = fixture.World;

    /// <summary>With the server's key log, `myvpn pcap decrypt` opens the capture and finds the ping inside.</summary>
    private void AssertDecryptsToThePing(string wan)
    {
        var decrypted = Path.Combine(_world.Directory, "decrypted.pcap");
        var inspect = MyVpnBinary.Run("pcap", "inspect", wan);
        var decrypt = MyVpnBinary.Run("pcap", "decrypt", wan, "--keylog", _world.KeyLogPath, "-o", decrypted);

        Assert.True(inspect.Succeeded, inspect.ToString());
        Assert.True(decrypt.Succeeded, decrypt.ToString());
        Assert.Contains("12 packets decrypted", decrypt.Output);
        Assert.Contains(PcapFile.ReadFrames(decrypted), frame => frame.AsSpan().IndexOf(WireCheck.PingPattern) >= 0);
    }

    [Fact]
    public void Committed_capture_is_sealed_and_matches_its_summary()
    {
        var path = Path.Combine(RepoPaths.Captures, CaptureName);
        if (Snapshot.Updating && !File.Exists(path))
            return; // the fresh-capture test writes it in this mode
        Assert.True(File.Exists(path), $"{path} is missing: run with UPDATE_SNAPSHOTS=1 to record it");

        var session = WireCheck.SessionTraffic(PcapFile.ReadUdp(path));

        WireCheck.AssertSealed(session);
        Snapshot.Match(SummaryName, WireCheck.Summary(session));
    }

    [Fact]
    public async Task Fresh_capture_of_pings_between_clients_is_sealed_and_matches_the_summary()
    {
        Assert.True(Topology.Ping(_world.Net.Pc1, "10.0.0.3"), _world.Logs()); // both sessions are up before recording
        var wan = Path.Combine(_world.Directory, "wan.pcap");
        var inner = Path.Combine(_world.Directory, "pc2-tun0.pcap");
        bool pinged;
        using (var wanCapture = await PacketCapture.Start(_world.Net.Server, "eth0", wan, "udp"))
        using (var innerCapture = await PacketCapture.Start(_world.Net.Pc2, "tun0", inner, "icmp"))
        {
            pinged = Topology.Ping(_world.Net.Pc1, "10.0.0.3", count: 3, pattern: WireCheck.PingPatternHex);
            await wanCapture.Stop();
            await innerCapture.Stop();
        }
        Assert.True(pinged, _world.Logs());

        var session = WireCheck.SessionTraffic(PcapFile.ReadUdp(wan));

        WireCheck.AssertSealed(session);
        Assert.Contains(PcapFile.ReadFrames(inner), frame => frame.AsSpan().IndexOf(WireCheck.PingPattern) >= 0);
        AssertDecryptsToThePing(wan);
        if (Snapshot.Updating)
        {
            Directory.CreateDirectory(RepoPaths.Captures);
            File.Copy(wan, Path.Combine(RepoPaths.Captures, CaptureName), overwrite: true);
        }
        Snapshot.Match(SummaryName, WireCheck.Summary(session));
    }
}
