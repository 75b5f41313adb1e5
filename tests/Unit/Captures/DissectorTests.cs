using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Engines;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>The Wireshark dissector (captures/wireshark/myvpn.lua) run by tshark on a capture of simulated traffic.</summary>
public sealed class DissectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-dissector-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Capture(out List<SessionKeys> keys)
    {
        var logged = new List<SessionKeys>();
        using var world = new EngineWorld(new VpnServerOptions { Clients = [new("pc1", Handshakes.Key(1)), new("pc2", Handshakes.Key(2))], KeyLog = logged.Add });
        world.Connect("pc1");
        world.Connect("pc2");
        world.Connect("pc2", keyFill: 7);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "10.0.0.3"));
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var path = Path.Combine(_dir, "traffic.pcap");
        PcapFiles.Write(path, world.Network.Wire);
        keys = logged;
        return path;
    }

    [Fact]
    public void Handshake_messages_are_named_in_order()
    {
        var capture = Capture(out _);
        var types = Tshark.Fields(capture, "myvpn.hs.type", "myvpn.hs.type").Select(l => l[0]).ToList();
        // pc1 and pc2 complete; the third connection (wrong key) ends in a Reject (5).
        Assert.Equal(["1", "2", "3", "4", "1", "2", "3", "4", "1", "2", "3", "5"], types);
    }

    [Fact]
    public void ServerAccept_shows_the_length_of_its_grant_extension_when_the_server_pushes()
    {
        var pushed = new PushedSettings([MyVpn.Net.IPv4Range.Parse("192.168.50.0/24")], [MyVpn.Net.IPv4Address.Parse("10.0.0.1")], ["corp.example"]);
        using var world = new EngineWorld(new VpnServerOptions { Clients = [new("pc1", Handshakes.Key(1))], Pushed = pushed });
        world.Connect("pc1");
        var path = Path.Combine(_dir, "pushed.pcap");
        PcapFiles.Write(path, world.Network.Wire);

        var accept = Assert.Single(Tshark.Fields(path, "myvpn.hs.type == 4", "myvpn.hs.grant_extension_length"));
        Assert.Equal(GrantExtension.LengthOf(pushed).ToString(), accept[0]);
        Assert.Empty(Tshark.Fields(path, "myvpn.hs.malformed", "myvpn.hs.type"));
        var plain = Capture(out _);
        Assert.NotEmpty(Tshark.Fields(plain, "myvpn.hs.type == 4", "myvpn.hs.type"));
        Assert.Empty(Tshark.Fields(plain, "myvpn.hs.grant_extension_length", "myvpn.hs.type"));
    }

    [Fact]
    public void Handshake_hellos_show_their_public_keys_and_rejects_their_code()
    {
        var capture = Capture(out _);
        var keys = Tshark.Fields(capture, "myvpn.hs.type == 1", "myvpn.hs.pubkey");
        Assert.Equal(3, keys.Count);
        Assert.All(keys, k => Assert.StartsWith("04", k[0].Replace(":", "")));
        var reject = Assert.Single(Tshark.Fields(capture, "myvpn.hs.type == 5", "myvpn.hs.reject_code"));
        Assert.Equal(((int)RejectCode.AuthenticationFailed).ToString(), reject[0]);
    }

    [Fact]
    public void Data_packets_show_session_counter_and_lengths()
    {
        var capture = Capture(out var keys);
        var rows = Tshark.Fields(capture, "myvpn.data.session_id", "myvpn.data.session_id", "myvpn.data.counter",
            "myvpn.data.ciphertext_length", "myvpn.data.keepalive", "myvpn.data.direction");
        Assert.NotEmpty(rows);
        var ids = keys.Select(k => $"0x{k.SessionId:x8}").ToHashSet();
        Assert.All(rows, r => Assert.Contains(r[0], ids));
        var data = rows.Where(r => r[3] is "False" or "0").ToList();
        Assert.Equal(3, data.Count);
        Assert.All(data, r => Assert.Equal((Packets.Pattern.Length + 20).ToString(), r[2]));
        Assert.Equal(rows.Count, rows.Select(r => (r[0], r[1], r[4])).Distinct().Count());
    }

    [Fact]
    public void A_run_of_datagrams_in_one_payload_shows_each_datagram()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = [new("pc1", Handshakes.Key(1)), new("pc2", Handshakes.Key(2))] });
        world.Connect("pc1");
        world.Connect("pc2");
        for (var i = 0; i < 4; i++)
            world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "10.0.0.3", [.. Packets.Pattern, (byte)i]));
        var wire = world.Network.Wire.Where(d => !d.Tcp).ToList();
        var coalesced = GsoRuns.Coalesced(wire);
        Assert.True(coalesced.Count < wire.Count);
        var path = Path.Combine(_dir, "runs.pcap");
        PcapFiles.Write(path, coalesced);

        var rows = Tshark.Fields(path, "myvpn.data.counter", "myvpn.data.counter", "_ws.col.Info");
        Assert.Equal(coalesced.Count, rows.Count);
        // every datagram shows up once, under its own counter, whether it came alone or in a run
        Assert.Equal(wire.Count, rows.Sum(r => r[0].Split(',').Length));
        Assert.Equal(2, rows.Count(r => r[1].Contains("run of 4 datagrams")));
    }

    [Fact]
    public void Direction_follows_the_handshake_when_the_client_port_is_in_the_session_range_too()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = [new("pc1", Handshakes.Key(1)), new("pc2", Handshakes.Key(2))] });
        world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "10.0.0.3"));
        var wire = EphemeralPorts.InSessionRange(world.Network.Wire);
        var path = Path.Combine(_dir, "ephemeral.pcap");
        PcapFiles.Write(path, wire);
        var expected = wire.Where(d => !d.Tcp).Select(d => EphemeralPorts.ToServer(d) ? "client->server" : "server->client").ToList();
        Assert.Contains("server->client", expected);
        var rows = Tshark.Fields(path, "myvpn.data.direction", "myvpn.data.direction");
        Assert.Equal(expected, rows.Select(r => r[0]));
    }
}
