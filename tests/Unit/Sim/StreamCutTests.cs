using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// Handshake streams reset or stalled part-way: the handshake fails and is retried with backoff, nobody gets a
/// session from half a handshake, the server frees the slot by its deadline and keeps no state for it.
/// </summary>
public sealed class StreamCutTests
{
    private static readonly IPv4Address Pc2Address = IPv4Address.Parse("10.0.0.3");

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 60)]
    [InlineData(false, 150)]
    [InlineData(true, 0)]
    [InlineData(true, 40)]
    [InlineData(true, 180)]
    public void A_reset_handshake_fails_without_a_session_and_is_retried_until_the_fault_ends(bool serverToClient, int afterBytes)
    {
        var net = SeedNetwork.Connected(seed: 21);
        var client = net.Pc1.Engine!;
        var connections = net.Pc1.Connections;

        net.Pc1.Host.CutStreams(reset: true, serverToClient, afterBytes, TimeSpan.FromSeconds(8));
        client.Rehandshake();
        net.Clock.RunFor(TimeSpan.FromSeconds(7.9));
        var failed = Failures(client.HandshakeCounts);
        var connectionsDuringFault = net.Pc1.Connections;
        var recovered = net.Clock.RunUntil(() => net.Pc1.Connections > connections, TimeSpan.FromSeconds(60));

        Assert.True(failed >= 2, $"{failed} handshakes failed during the fault: it did not strike, or the client did not retry");
        Assert.Equal(connections, connectionsDuringFault);
        Assert.True(recovered, "pc1 did not rekey after the fault ended");
        AssertNothingLeft(net);
    }

    [Theory]
    [InlineData(false, 30)]
    [InlineData(true, 50)]
    public void Stalled_handshakes_each_free_the_servers_slot_by_their_deadline(bool serverToClient, int afterBytes)
    {
        var net = SeedNetwork.Connected(seed: 22);
        var server = net.ServerEngine!;
        var connections = net.Pc1.Connections;
        var stall = TimeSpan.FromSeconds(40);

        net.Pc1.Host.CutStreams(reset: false, serverToClient, afterBytes, stall);
        net.Pc1.Engine!.Rehandshake();
        var pending = new List<int>();
        for (var second = 0; second < stall.TotalSeconds - 1; second++)
        {
            net.Clock.RunFor(TimeSpan.FromSeconds(1));
            pending.Add(server.HandshakesPending);
        }
        var given = server.HandshakeFailures[HandshakeError.Timeout] + server.HandshakeFailures[HandshakeError.ConnectionClosed];
        var pingDuringStall = net.Ping(net.Pc1.Host, Pc2Address);
        var recovered = net.Clock.RunUntil(() => net.Pc1.Connections > connections, TimeSpan.FromSeconds(60));

        Assert.Equal(1, pending.Max()); // one attempt at a time, none left behind
        Assert.Contains(0, pending); // each freed by the server's deadline or the client's close
        Assert.True(given >= 2, $"the server gave up on {given} stalled handshakes");
        Assert.Equal(connections, net.Pc1.Connections - (recovered ? 1 : 0));
        Assert.True(pingDuringStall!.Replied, "the session in place did not carry traffic while its rekey stalled");
        Assert.True(recovered, "pc1 did not rekey after the stall ended");
        AssertNothingLeft(net);
    }

    [Fact]
    public void A_stall_is_released_by_the_heal()
    {
        var net = SeedNetwork.Connected(seed: 23);
        var connections = net.Pc1.Connections;

        net.Pc1.Host.CutStreams(reset: false, serverToClient: false, afterBytes: 10, TimeSpan.FromMinutes(30));
        net.Pc1.Engine!.Rehandshake();
        net.Clock.RunFor(TimeSpan.FromSeconds(2));
        net.Heal();
        var recovered = net.Clock.RunUntil(() => net.Pc1.Connections > connections, TimeSpan.FromSeconds(60));

        Assert.True(recovered, "pc1 did not rekey after the heal");
        AssertNothingLeft(net);
    }

    [Fact]
    public void What_a_stall_held_from_the_server_dies_when_the_server_restarts_and_never_reaches_the_client()
    {
        var net = SeedNetwork.Connected(seed: 25);
        var connections = net.Pc1.Connections;
        var session = net.Pc1.Grant!.SessionId;

        // the server's hello (101 bytes) gets through, the grant after it is held
        net.Pc1.Host.CutStreams(reset: false, serverToClient: true, afterBytes: 105, TimeSpan.FromSeconds(10));
        net.Pc1.Engine!.Rehandshake();
        Assert.True(net.Clock.RunUntil(() => net.Network.Trace.Lines.Any(l => l.Contains(" note stream ") && l.Contains(": stall server->client after 105 bytes")), TimeSpan.FromSeconds(5)));
        net.RestartServer();
        var afterRestart = net.Network.Trace.Lines.Count;
        net.Clock.RunFor(TimeSpan.FromSeconds(12));

        var later = net.Network.Trace.Lines.Skip(afterRestart - 1).ToList();
        Assert.Contains(later, l => l.Contains("is gone with s1's old state") && l.Contains("bytes held never sent"));
        Assert.DoesNotContain(later, l => l.Contains("moves again"));
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Connections > connections, TimeSpan.FromSeconds(60)), "pc1 did not reconnect to the restarted server");
        Assert.NotEqual(session, net.Pc1.Grant!.SessionId);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void A_connection_opened_after_the_fault_is_not_cut()
    {
        var net = SeedNetwork.Connected(seed: 24);
        var connections = net.Pc1.Connections;

        net.Pc1.Host.CutStreams(reset: true, serverToClient: false, afterBytes: 0, TimeSpan.FromSeconds(1));
        net.Clock.RunFor(TimeSpan.FromSeconds(2));
        net.Pc1.Engine!.Rehandshake();
        var rekeyed = net.Clock.RunUntil(() => net.Pc1.Connections > connections, TimeSpan.FromSeconds(5));

        Assert.True(rekeyed);
        Assert.Equal(0, Failures(net.Pc1.Engine.HandshakeCounts));
    }

    private static long Failures(MyVpn.Tunnel.HandshakeCounters counts) =>
        Enum.GetValues<HandshakeError>().Where(e => e != HandshakeError.None).Sum(e => counts[e]);

    /// <summary>After a while in peace: no handshake in flight on the server, no connection open on either side, invariants held.</summary>
    private static void AssertNothingLeft(SeedNetwork net)
    {
        net.Clock.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(0, net.ServerEngine!.HandshakesPending);
        Assert.Equal(0, net.Server.OpenStreams);
        Assert.All(net.Clients, c => Assert.Equal(0, c.Host.OpenStreams));
        Assert.Equal(2, net.ServerEngine.SessionCount);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }
}
