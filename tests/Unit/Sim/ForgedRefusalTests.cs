using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// An on-path attacker answers a connected client's re-handshakes with forged Rejects (every code) and
/// forged ServerAccepts (garbage, or real ones recorded from other handshakes): the client logs each,
/// never stops, and is back (connected, pings answered) within its backoff once the attacker leaves.
/// </summary>
public sealed class ForgedRefusalTests
{
    private static readonly IPv4Address Pc1Address = IPv4Address.Parse("10.0.0.2");
    private static readonly IPv4Address Pc2Address = IPv4Address.Parse("10.0.0.3");
    private static readonly NetEndpoint HandshakeEndpoint = new(SeedNetwork.ServerPublicAddress, SeedNetwork.HandshakePort);

    private static void AssertAnswered(PingRecord? ping)
    {
        Assert.NotNull(ping);
        Assert.True(ping.Replied, $"ping #{ping.Serial} {ping.Request.Source} -> {ping.Target} was not answered");
    }

    /// <summary>pc1's refusal lines in the engine log.</summary>
    private static List<string> Refusals(StringWriter log) =>
        log.ToString().Split('\n').Where(l => l.Contains(" log pc1 ", StringComparison.Ordinal) && l.Contains(" refused: ", StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("server restart", 31UL)]
    [InlineData("server restart", 32UL)]
    [InlineData("partition", 33UL)]
    [InlineData("partition", 34UL)]
    public void Forged_refusals_in_re_handshakes_never_stop_a_client_that_was_connected(string cause, ulong seed)
    {
        var log = new StringWriter();
        var net = SeedNetwork.Connected(seed, new SeedNetworkOptions { EngineLog = log });
        var pc1 = net.Pc1;
        AssertAnswered(net.Ping(pc1.Host, Pc2Address));

        net.Attacker.TamperWithHandshakes(pc1.Host, HandshakeEndpoint);
        if (cause == "server restart")
            net.RestartServer(); // every session is gone: both clients find the server silent and re-handshake
        else
            net.Partition(pc1, TimeSpan.FromSeconds(60)); // pc1 finds the server silent and re-handshakes
        net.Clock.RunFor(TimeSpan.FromMinutes(60));

        Assert.Null(pc1.AuthenticationFailure);
        Assert.Equal(1, pc1.Connections);
        Assert.False(pc1.Engine!.IsConnected);
        // Every kind of forgery reached a handshake, and each left one line saying why.
        Assert.Equal(SimAttacker.HandshakeForgeryKinds.ToHashSet(), net.Attacker.HandshakeForgeries.ToHashSet());
        var refusals = Refusals(log);
        Assert.Equal(net.Attacker.HandshakeForgeries.Count, refusals.Count);
        Assert.Contains(refusals, l => l.Contains("Reject 1 (AuthenticationFailed)", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains("Reject 255 (unknown code)", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains("ServerAccept did not open (ServerAuthFailed)", StringComparison.Ordinal));
        // pc2, whose handshakes nobody touched, is fine.
        Assert.True(net.Pc2.Engine!.IsConnected);

        net.Attacker.StopTampering();
        var backWithin = pc1.Options.MaxRefusalRetryDelay + pc1.Options.HandshakeTimeout;
        Assert.True(net.Clock.RunUntil(() => pc1.Connections == 2, backWithin), $"pc1 was not back within {backWithin}");

        Assert.Equal(Pc1Address, pc1.Grant!.ClientAddress);
        AssertAnswered(net.PingUntilReplied(pc1.Host, () => Pc2Address, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
        AssertAnswered(net.PingUntilReplied(net.Pc2.Host, () => Pc1Address, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Theory]
    [InlineData(35UL)]
    [InlineData(36UL)]
    public void Forged_refusals_of_a_handshake_while_the_session_is_up_leave_the_session_up(ulong seed)
    {
        var log = new StringWriter();
        var net = SeedNetwork.Connected(seed, new SeedNetworkOptions { EngineLog = log });
        var pc1 = net.Pc1;
        var session = pc1.Grant!.SessionId;
        // Rejects only: a forged ServerAccept takes the place of a real one, and the server then holds a
        // session the client never got (keeping the old one until the new one is used is the server's
        // side of rekeying); the client's side of that case is in Engines/ClientRefusalTests.
        var rejects = SimAttacker.HandshakeForgeryKinds.Where(k => k.StartsWith("Reject ", StringComparison.Ordinal)).ToList();
        net.Attacker.TamperWithHandshakes(pc1.Host, HandshakeEndpoint, rejects);

        // Handshakes while the session is up (as rekeying starts them): each is forged away, and pings
        // keep crossing the session all along.
        for (var i = 0; i < 2 * rejects.Count; i++)
        {
            pc1.Engine!.Rehandshake();
            AssertAnswered(net.Ping(pc1.Host, Pc2Address));
            AssertAnswered(net.Ping(net.Pc2.Host, Pc1Address));
            net.Clock.RunFor(TimeSpan.FromSeconds(20));
        }

        Assert.Null(pc1.AuthenticationFailure);
        Assert.Equal(1, pc1.Connections);
        Assert.True(pc1.Engine!.IsConnected);
        Assert.Equal(session, pc1.Engine.Grant!.SessionId);
        Assert.Equal(rejects.ToHashSet(), net.Attacker.HandshakeForgeries.ToHashSet());
        Assert.Equal(net.Attacker.HandshakeForgeries.Count, Refusals(log).Count);

        net.Attacker.StopTampering();
        var backWithin = pc1.Options.MaxRefusalRetryDelay + pc1.Options.HandshakeTimeout;
        Assert.True(net.Clock.RunUntil(() => pc1.Connections == 2, backWithin), $"no new session within {backWithin}");
        Assert.NotEqual(session, pc1.Grant!.SessionId);
        AssertAnswered(net.PingUntilReplied(pc1.Host, () => Pc2Address, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
        AssertAnswered(net.PingUntilReplied(net.Pc2.Host, () => Pc1Address, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Forgeries_in_handshake_streams_are_traced_and_repeat_exactly_from_the_seed()
    {
        static Trace Run(ulong seed)
        {
            var net = SeedNetwork.Connected(seed);
            net.Attacker.TamperWithHandshakes(net.Pc1.Host, HandshakeEndpoint);
            net.RestartServer();
            net.Clock.RunFor(TimeSpan.FromMinutes(10));
            return net.Network.Trace;
        }

        var first = Run(37);
        var again = Run(37);

        Assert.Contains(first.Lines, l => l.Contains(" tcp attacker 198.51.100.1:9525 > pc1 ", StringComparison.Ordinal) && l.Contains(" FORGED 5B ", StringComparison.Ordinal));
        Assert.Equal(first.Lines, again.Lines);
        Assert.Equal(first.Fingerprint, again.Fingerprint);
    }
}
