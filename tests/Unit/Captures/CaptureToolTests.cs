using MyVpn.Captures;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Engines;
using MyVpn.Tests.Unit.Support;
using PacketDotNet;
using Xunit;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>`myvpn pcap inspect` and `decrypt` on captures of simulated traffic written as real pcap files.</summary>
public sealed class CaptureToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-captures-").FullName;
    private readonly List<SessionKeys> _keys = [];
    private readonly List<byte[]> _sent = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>pc1 and pc2 connect; pc1 sends three packets to pc2 and two to the internet.</summary>
    private List<WireDatagram> Traffic()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = [new("pc1", Handshakes.Key(1)), new("pc2", Handshakes.Key(2))], KeyLog = _keys.Add });
        world.Connect("pc1");
        world.Connect("pc2");
        for (var i = 0; i < 3; i++)
            Send(world, Packets.IPv4("10.0.0.2", "10.0.0.3", [.. Packets.Pattern, (byte)i]));
        for (var i = 0; i < 2; i++)
            Send(world, Packets.IPv4("10.0.0.2", "8.8.8.8", [.. Packets.Pattern, (byte)(10 + i)]));
        return world.Network.Wire;
    }

    private void Send(EngineWorld world, byte[] packet)
    {
        _sent.Add(packet);
        world.SendFrom("pc1", packet);
    }

    private string WriteCapture(IEnumerable<WireDatagram> datagrams, LinkLayers link = LinkLayers.Ethernet)
    {
        var path = Path.Combine(_dir, $"capture-{Guid.NewGuid():N}.pcap");
        PcapFiles.Write(path, datagrams, link);
        return path;
    }

    private Dictionary<uint, List<SessionKeys>> KeyLogFile()
    {
        var path = Path.Combine(_dir, "keys.log");
        using (var writer = MyVpn.Cli.Hosting.KeyLogFile.Create(path))
            _keys.ForEach(writer.Write);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        return KeyLog.Read(path);
    }

    [Theory]
    [InlineData(LinkLayers.Ethernet)]
    [InlineData(LinkLayers.RawLegacy)]
    public void Decrypt_yields_exactly_the_inner_packets(LinkLayers link)
    {
        var capture = WriteCapture(Traffic(), link);
        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(capture), KeyLogFile(), new CaptureOptions(), output);

        var inner = PcapFiles.ReadRaw(output);
        // pc1 -> server for all five, then server -> pc2 for the three addressed to pc2.
        var expected = _sent.Concat(_sent.Take(3)).Select(Convert.ToHexString).Order().ToList();
        Assert.Equal(expected, inner.Select(Convert.ToHexString).Order().ToList());
        Assert.Equal(new DecryptionCounts(8, counts.Keepalives, 0, 0), counts);
        Assert.True(counts.Keepalives >= 2);
    }

    [Fact]
    public void Rekeyed_sessions_show_one_session_per_id_on_the_same_port_and_decrypt_with_their_own_keys()
    {
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = [new("pc1", Handshakes.Key(1))],
            KeyLog = _keys.Add,
            RekeyInterval = TimeSpan.FromSeconds(20),
        });
        world.Connect("pc1");
        for (var i = 0; i < 6; i++)
        {
            Send(world, Packets.IPv4("10.0.0.2", "8.8.8.8", [.. Packets.Pattern, (byte)i]));
            world.Run(TimeSpan.FromSeconds(11));
        }
        var capture = WriteCapture(world.Network.Wire);

        var report = CaptureInspector.Inspect(CaptureReader.Read(capture), new CaptureOptions());
        Assert.True(report.IsClean, report.ToString());
        Assert.True(report.Sessions.Count >= 3, report.ToString());
        Assert.Single(report.Sessions.Select(s => s.Server).Distinct()); // one port, several session ids
        Assert.Equal(_keys.Count, report.Sessions.Count);

        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(capture), KeyLogFile(), new CaptureOptions(), output);
        Assert.Equal(_sent.Select(Convert.ToHexString).Order(), PcapFiles.ReadRaw(output).Select(Convert.ToHexString).Order());
        Assert.Equal((6, 0, 0), (counts.Decrypted, counts.NoKey, counts.AuthenticationFailures));
        Assert.True(counts.RekeyRequests >= 2, counts.ToString());
    }

    [Fact]
    public void A_flipped_byte_costs_one_packet_and_counts_one_authentication_failure()
    {
        var wire = Traffic();
        var index = wire.FindIndex(d => !d.Tcp && d.Bytes.Length > WireFormat.Overhead);
        var tampered = wire[index].Bytes.ToArray();
        tampered[20] ^= 0x01;
        wire[index] = wire[index] with { Bytes = tampered };
        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(WriteCapture(wire)), KeyLogFile(), new CaptureOptions(), output);
        Assert.Equal(7, counts.Decrypted);
        Assert.Equal(1, counts.AuthenticationFailures);
        Assert.Equal(7, PcapFiles.ReadRaw(output).Count);
    }

    [Fact]
    public void Packets_without_a_key_are_counted_not_written()
    {
        var capture = WriteCapture(Traffic());
        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(capture), [], new CaptureOptions(), output);
        Assert.Equal(0, counts.Decrypted);
        Assert.True(counts.NoKey >= 10);
        Assert.Empty(PcapFiles.ReadRaw(output));
    }

    [Fact]
    public void Inspect_summarises_each_session_and_finds_unique_ivs()
    {
        var report = CaptureInspector.Inspect(CaptureReader.Read(WriteCapture(Traffic())), new CaptureOptions());
        Assert.Equal(2, report.Sessions.Count);
        var pc1 = report.Sessions[0];
        Assert.Equal(40000, pc1.Server.Port);
        Assert.Equal(5, pc1.ToServer.Packets - pc1.ToServer.Keepalives);
        var pc2 = report.Sessions[1];
        Assert.Equal(3, pc2.ToClient.Packets - pc2.ToClient.Keepalives);
        Assert.True(report.IsClean, report.ToString());
        Assert.Contains("IVs: all unique", report.ToString());
        Assert.Equal(2, report.Handshakes.Count);
        Assert.All(report.Handshakes, h => Assert.Equal(["ClientHello(97)", "ServerHello(97)", "ClientAuth(117)", "ServerAccept(99)"], h.Messages));
    }

    [Fact]
    public void Client_ports_inside_the_session_range_still_give_one_session_per_client()
    {
        var capture = WriteCapture(EphemeralPorts.InSessionRange(Traffic()));
        var report = CaptureInspector.Inspect(CaptureReader.Read(capture), new CaptureOptions());
        Assert.Equal([40000, 40001], report.Sessions.Select(s => (int)s.Server.Port));
        Assert.All(report.Sessions, s => Assert.True(Assert.Single(s.ClientEndpoints).Port >= EphemeralPorts.First));
        Assert.Equal(5, report.Sessions[0].ToServer.Packets - report.Sessions[0].ToServer.Keepalives);
        Assert.Equal(3, report.Sessions[1].ToClient.Packets - report.Sessions[1].ToClient.Keepalives);
        Assert.True(report.IsClean, report.ToString());
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(capture), KeyLogFile(), new CaptureOptions(), Path.Combine(_dir, "o.pcap"));
        Assert.Equal(8, counts.Decrypted);
        Assert.Equal(0, counts.AuthenticationFailures);
    }

    [Fact]
    public void Runs_of_datagrams_captured_as_one_gso_payload_are_split_back()
    {
        var wire = GsoRuns.Coalesced(Traffic());
        var capture = WriteCapture(wire);
        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(capture), KeyLogFile(), new CaptureOptions(), output);
        var expected = _sent.Concat(_sent.Take(3)).Select(Convert.ToHexString).Order().ToList();
        Assert.Equal(expected, PcapFiles.ReadRaw(output).Select(Convert.ToHexString).Order().ToList());
        Assert.Equal(0, counts.AuthenticationFailures);

        var report = CaptureInspector.Inspect(CaptureReader.Read(capture), new CaptureOptions());
        Assert.Equal(2, report.CoalescedRuns);
        Assert.Equal(8, report.CoalescedDatagrams);
        Assert.Equal(5, report.Sessions[0].ToServer.Packets - report.Sessions[0].ToServer.Keepalives);
        Assert.True(report.IsClean, report.ToString());
        Assert.Contains("2 captured packets held runs of 8 datagrams", report.ToString());
    }

    [Fact]
    public void A_single_datagram_is_never_taken_for_a_run()
    {
        foreach (var datagram in Traffic().Where(d => !d.Tcp))
            Assert.Equal(0, CoalescedRuns.SegmentSize(datagram.Bytes));
        var wire = GsoRuns.Coalesced(Traffic());
        Assert.All(wire.Where(d => !d.Tcp && d.Bytes.Length > 200), d => Assert.NotEqual(0, CoalescedRuns.SegmentSize(d.Bytes)));
    }

    [Fact]
    public void Inspect_reports_a_repeated_iv()
    {
        var wire = Traffic();
        wire.Add(wire.First(d => !d.Tcp && d.Bytes.Length > WireFormat.Overhead));
        var report = CaptureInspector.Inspect(CaptureReader.Read(WriteCapture(wire)), new CaptureOptions());
        Assert.Equal(1, report.Sessions.Sum(s => s.RepeatedIvs));
        Assert.False(report.IsClean);
    }

    [Fact]
    public void A_foreign_udp_flow_on_a_session_port_is_named_not_decrypted()
    {
        var wire = Traffic();
        var from = MyVpn.Net.NetEndpoint.Parse("192.0.2.77:5353");
        var to = MyVpn.Net.NetEndpoint.Parse("198.51.100.1:40005");
        wire.Add(new WireDatagram(from, to, "hello"u8.ToArray()));
        wire.Add(new WireDatagram(from, to, new byte[64].Select((_, i) => (byte)(i + 1)).ToArray()));
        var capture = WriteCapture(wire);
        var report = CaptureInspector.Inspect(CaptureReader.Read(capture), new CaptureOptions());
        var flow = Assert.Single(report.ForeignFlows);
        Assert.Equal(to, flow.Destination);
        Assert.Contains("not MyVpn: 192.0.2.77:5353 -> 198.51.100.1:40005", report.ToString());
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(capture), KeyLogFile(), new CaptureOptions(), Path.Combine(_dir, "o.pcap"));
        Assert.Equal(8, counts.Decrypted);
    }

    [Fact]
    public void Unknown_link_type_is_a_clear_error()
    {
        var capture = WriteCapture(Traffic().Take(1), LinkLayers.Ieee80211);
        var e = Assert.Throws<CaptureException>(() => CaptureReader.Read(capture).ToList());
        Assert.Contains("link type Ieee80211", e.Message);
    }

    [Fact]
    public void Truncated_capture_is_a_clear_error()
    {
        var capture = WriteCapture(Traffic());
        var bytes = File.ReadAllBytes(capture);
        File.WriteAllBytes(capture, bytes[..^10]);
        var e = Assert.Throws<CaptureException>(() => CaptureReader.Read(capture).ToList());
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Missing_capture_and_garbage_file_are_clear_errors()
    {
        Assert.Contains("no capture at", Assert.Throws<CaptureException>(() => CaptureReader.Read(Path.Combine(_dir, "none.pcap")).ToList()).Message);
        var garbage = Path.Combine(_dir, "garbage.pcap");
        File.WriteAllText(garbage, "this is not a pcap file at all");
        Assert.Contains("not a readable pcap", Assert.Throws<CaptureException>(() => CaptureReader.Read(garbage).ToList()).Message);
    }

    [Fact]
    public void Key_log_lines_round_trip_and_bad_lines_name_their_place()
    {
        var keys = new SessionKeys(0xdeadbeef, Handshakes.Key(1), Handshakes.Key(2));
        Assert.True(KeyLog.TryParse(KeyLog.Format(keys), out var parsed));
        Assert.Equal(keys.SessionId, parsed.SessionId);
        Assert.Equal(keys.ServerToClient, parsed.ServerToClient);
        var path = Path.Combine(_dir, "bad.log");
        File.WriteAllLines(path, ["# comment", KeyLog.Format(keys), "MYVPN_SESSION zz"]);
        Assert.Contains("bad.log:3", Assert.Throws<CaptureException>(() => KeyLog.Read(path)).Message);
    }
}
