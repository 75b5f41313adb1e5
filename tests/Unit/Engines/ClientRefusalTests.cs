using MyVpn.Client;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// Refusals are unauthenticated: only before the first session do they end the client (exit 3 in the
/// CLI); after that each is logged and retried with capped backoff, and a session still up stays up.
/// </summary>
public sealed class ClientRefusalTests
{
    private static readonly TimeSpan RefusalCap = new VpnClientOptions { Server = default, Name = "x", Key = new byte[32] }.MaxRefusalRetryDelay;
    private static readonly TimeSpan OrdinaryCap = new VpnClientOptions { Server = default, Name = "x", Key = new byte[32] }.MaxRetryDelay;

    /// <summary>The world's clock moves in 1 s steps: a measured gap may be off by that much.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>What the forger puts in place of the server's first message (ServerHello) or of its ServerAccept.</summary>
    public static TheoryData<string> Forgeries => new()
    {
        "reject 0", "reject 1", "reject 2", "reject 3", "reject 4", "reject 5", "reject 6", "reject 7", "reject 255",
        "garbage accept", "garbage instead of hello",
    };

    private static Func<byte[], byte[]> Forger(string forgery)
    {
        if (forgery.StartsWith("reject ", StringComparison.Ordinal))
        {
            var code = byte.Parse(forgery["reject ".Length..]);
            return m => m[0] == (byte)HandshakeMessageType.ServerHello ? HandshakeMessage.Frame(HandshakeMessageType.Reject, [code]) : m;
        }
        return forgery switch
        {
            // 103 bytes, framed as a ServerAccept, that do not open.
            "garbage accept" => m => m[0] == (byte)HandshakeMessageType.ServerAccept
                ? HandshakeMessage.Frame(HandshakeMessageType.ServerAccept, Enumerable.Repeat((byte)0x5A, HandshakeMessage.ServerAcceptLength).ToArray())
                : m,
            "garbage instead of hello" => m => m[0] == (byte)HandshakeMessageType.ServerHello ? "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray() : m,
            _ => throw new ArgumentException(forgery),
        };
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void After_a_session_was_up_every_refusal_is_logged_and_retried_with_capped_backoff_never_final(string forgery)
    {
        using var world = new EngineWorld("pc1");
        var log = new ListLogger<VpnClient>();
        string? failure = null;
        var pc1 = world.Connect("pc1", beforeStart: c => c.AuthenticationFailed += m => failure = m, logger: log);
        Assert.True(pc1.IsConnected);

        // The server restarts (the session is gone), and from now on every answer it sends is forged.
        world.RestartServer();
        var forger = new TamperingAcceptor(world.Server, world.Time, Forger(forgery));
        world.Network.Listen(EngineWorld.ServerEndpoint, forger);
        world.Run(TimeSpan.FromMinutes(40));

        Assert.Null(failure);
        Assert.Equal(1, pc1.Handshakes);
        Assert.False(pc1.IsConnected);
        var gaps = forger.Attempts.Zip(forger.Attempts.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.Count >= 12, $"{forger.Attempts.Count} attempts in 40 minutes");
        Assert.InRange(gaps[0], TimeSpan.Zero, TimeSpan.FromSeconds(1.2) + Step);
        Assert.All(gaps, g => Assert.InRange(g, TimeSpan.Zero, RefusalCap + Step));
        // The backoff grew to its cap: past the ordinary one for a refusal (a refusing server is not
        // hammered every 30 s), the ordinary one for Busy (which asks the client to come back soon) …
        var cap = forgery == "reject 6" ? OrdinaryCap : RefusalCap;
        Assert.All(gaps, g => Assert.InRange(g, TimeSpan.Zero, cap + Step));
        Assert.All(gaps.TakeLast(3), g => Assert.InRange(g, cap * 0.8 - Step, cap + Step));
        Assert.True(RefusalCap * 0.8 > OrdinaryCap + Step);
        // … and every refusal left one line saying why.
        var refusals = log.Lines.Select(l => l.Message).Where(l => l.Contains(" refused: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(forger.Attempts.Count, refusals.Count);
        var reason = forgery switch
        {
            "reject 1" => "Reject 1 (AuthenticationFailed)",
            "reject 6" => "Reject 6 (Busy)",
            "reject 255" => "Reject 255 (unknown code)",
            "garbage accept" => "ServerAccept did not open (ServerAuthFailed)",
            "garbage instead of hello" => nameof(HandshakeError.UnknownMessageType),
            _ => "Reject " + forgery["reject ".Length..],
        };
        Assert.All(refusals, l => Assert.Contains(reason, l));

        // The forger goes away: the client is back within its longest wait.
        world.Network.Listen(EngineWorld.ServerEndpoint, world.Server);
        world.Run(cap + Step);
        Assert.True(pc1.IsConnected);
        Assert.Equal(2, pc1.Handshakes);
        var packet = Packets.IPv4("10.0.0.2", "8.8.8.8");
        world.SendFrom("pc1", packet);
        Assert.Equal(packet, Assert.Single(world.ServerTun.Written));
    }

    [Theory]
    [InlineData("reject 1")]
    [InlineData("garbage accept")]
    public void A_refusal_of_the_first_connection_ends_the_client_with_AuthenticationFailed(string forgery)
    {
        using var world = new EngineWorld("pc1");
        var forger = new TamperingAcceptor(world.Server, world.Time, Forger(forgery));
        world.Network.Listen(EngineWorld.ServerEndpoint, forger);
        string? failure = null;

        var pc1 = world.Connect("pc1", beforeStart: c => c.AuthenticationFailed += m => failure = m);
        world.Run(TimeSpan.FromMinutes(10));

        Assert.NotNull(failure);
        Assert.Contains("client 'pc1'", failure);
        Assert.False(pc1.IsConnected);
        Assert.Single(forger.Attempts);
    }

    [Theory]
    [InlineData("reject 6")]
    [InlineData("reject 4")]
    [InlineData("garbage instead of hello")]
    public void Other_refusals_of_the_first_connection_are_retried(string forgery)
    {
        using var world = new EngineWorld("pc1");
        var forger = new TamperingAcceptor(world.Server, world.Time, Forger(forgery));
        world.Network.Listen(EngineWorld.ServerEndpoint, forger);
        string? failure = null;

        var pc1 = world.Connect("pc1", beforeStart: c => c.AuthenticationFailed += m => failure = m);
        world.Run(TimeSpan.FromSeconds(10));
        Assert.True(forger.Attempts.Count >= 3, $"{forger.Attempts.Count} attempts in 10 s");
        world.Network.Listen(EngineWorld.ServerEndpoint, world.Server);
        world.Run(TimeSpan.FromSeconds(20));

        Assert.Null(failure);
        Assert.True(pc1.IsConnected);
    }

    [Theory]
    [InlineData("reject 1")]
    [InlineData("reject 6")]
    [InlineData("garbage accept")]
    public void A_failed_handshake_while_the_session_is_up_leaves_the_session_up_and_is_retried(string forgery)
    {
        // A forged ServerAccept stands in for a real one: the server then holds the new session, not
        // the one the client keeps (the server's side of rekeying), so only Rejects check the traffic.
        var serverKeepsTheSession = forgery.StartsWith("reject", StringComparison.Ordinal);
        using var world = new EngineWorld("pc1");
        string? failure = null;
        var pc1 = world.Connect("pc1", beforeStart: c => c.AuthenticationFailed += m => failure = m);
        var session = pc1.Grant!.SessionId;
        var forger = new TamperingAcceptor(world.Server, world.Time, Forger(forgery));
        world.Network.Listen(EngineWorld.ServerEndpoint, forger);

        pc1.Rehandshake();
        world.Network.Pump();
        Assert.Single(forger.Attempts);
        Assert.True(pc1.IsConnected);
        Assert.Equal(session, pc1.Grant.SessionId);
        if (serverKeepsTheSession)
        {
            var packet = Packets.IPv4("10.0.0.2", "8.8.8.8");
            world.SendFrom("pc1", packet);
            Assert.Equal(packet, Assert.Single(world.ServerTun.Written));
        }

        world.Run(TimeSpan.FromSeconds(3));
        Assert.True(forger.Attempts.Count >= 2, "the failed handshake was not retried");
        Assert.True(pc1.IsConnected);
        Assert.Equal(1, pc1.Handshakes);

        world.Network.Listen(EngineWorld.ServerEndpoint, world.Server);
        world.Run(TimeSpan.FromSeconds(10));
        Assert.Null(failure);
        Assert.Equal(2, pc1.Handshakes);
        Assert.True(pc1.IsConnected);
        Assert.NotEqual(session, pc1.Grant.SessionId);
    }
}
