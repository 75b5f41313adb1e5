using Microsoft.Extensions.Time.Testing;
using MyVpn.Client;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// A client given the server's name looks it up (through <see cref="IServerResolver"/>) before each handshake
/// that starts a session, not for a rekey: a server on dynamic DNS that moves is found again, a name that
/// does not resolve is retried with backoff and logged once per cause per interval, never an end.
/// </summary>
public sealed class ServerNameLookupTests : IDisposable
{
    private const string Name = "vpn.example.org:9525";
    private static readonly NetEndpoint First = NetEndpoint.Parse("198.51.100.1:9525");
    private static readonly NetEndpoint Moved = NetEndpoint.Parse("203.0.113.7:9525");
    private static readonly NetEndpoint Nowhere = NetEndpoint.Parse("192.0.2.99:9525");

    private readonly ChannelNetwork _network = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly VpnServerOptions _options = new() { Clients = [new ClientEntry("pc1", Handshakes.Key(1))] };
    private readonly ScriptedResolver _resolver = new();
    private readonly ListLogger<VpnClient> _log = new();
    private VpnServer? _server;
    private NetEndpoint _serverAt;
    private VpnClient? _client;

    private VpnClient Client => _client!;

    private void StartServer(NetEndpoint at)
    {
        _server = new VpnServer(_options, new ChannelTun(), _network.Host(at.AddressText), _time, new TestRandom(1000 + (int)(at.Address.Value % 100)));
        _network.Listen(at, _server);
        _serverAt = at;
    }

    private void StopServer()
    {
        _network.StopListening(_serverAt);
        _server!.Dispose();
    }

    private void StartClient()
    {
        var host = _network.Host("192.0.2.10");
        _client = new VpnClient(new VpnClientOptions { Server = default, Name = "pc1", Key = Handshakes.Key(1) },
            new ChannelTun(), host, host, _time, new TestRandom(7), _log, _resolver);
        _client.AuthenticationFailed += m => Assert.Fail($"the client gave up: {m}");
        _client.Start();
        _network.Pump();
    }

    private void Run(TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromSeconds(1))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _network.Pump();
        }
    }

    [Fact]
    public void A_name_that_does_not_resolve_is_retried_with_backoff_logged_once_per_cause_and_connects_once_it_does()
    {
        StartServer(First);
        _resolver.Answer = ServerLookup.Failed(Name, "Name or service not known");
        StartClient();
        Run(TimeSpan.FromMinutes(3));

        Assert.False(Client.IsConnected);
        var lookups = _resolver.Lookups;
        // backoff: 1, 2, 4, 8, 16 then every 30 s: about 10 lookups in three minutes, not 180
        Assert.InRange(lookups, 6, 14);
        var lines = _log.Warnings.Where(w => w.StartsWith("cannot look up the server vpn.example.org:9525: Name or service not known", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.True(lines.Count < lookups, $"{lines.Count} lines for {lookups} failed lookups: the limiter let every one through");
        Assert.Contains(lines, l => !l.EndsWith("(0 more since the last such line)", StringComparison.Ordinal));

        _resolver.Answer = ServerLookup.Found(Name, [First]);
        Run(TimeSpan.FromSeconds(31));
        Assert.True(Client.IsConnected);
        Assert.Equal(First, Client.Server);
    }

    [Fact]
    public void A_lookup_that_outlasts_the_handshake_deadline_is_a_lookup_failure_not_a_timeout_of_no_address()
    {
        StartServer(First);
        _resolver.Silent = true;
        StartClient();
        Run(TimeSpan.FromSeconds(15));

        Assert.False(Client.IsConnected);
        Assert.Contains(_log.Warnings, w => w.StartsWith("cannot look up the server vpn.example.org:9525: no answer from the resolver within 10 s", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Warnings, w => w.Contains("0.0.0.0:0", StringComparison.Ordinal));

        _resolver.Silent = false;
        _resolver.Answer = ServerLookup.Found(Name, [First]);
        Run(TimeSpan.FromSeconds(31));
        Assert.True(Client.IsConnected);
    }

    [Fact]
    public void The_client_finds_the_server_again_at_its_new_address_once_the_session_is_lost()
    {
        StartServer(First);
        _resolver.Answer = ServerLookup.Found(Name, [First]);
        StartClient();
        Assert.True(Client.IsConnected);
        Assert.Equal(First, Client.Server);

        // the server moves: it goes away from its address, comes back at another, and the name follows
        StopServer();
        StartServer(Moved);
        _resolver.Answer = ServerLookup.Found(Name, [Moved]);
        Run(TimeSpan.FromMinutes(2));

        Assert.True(Client.IsConnected);
        Assert.Equal(Moved, Client.Server);
        Assert.Equal(2, Client.Handshakes);
        Assert.Contains(_log.Lines, l => l.Message == "the server vpn.example.org:9525 is at 203.0.113.7:9525 (of 1 addresses)");
        Assert.Single(_server!.Sessions);
    }

    [Fact]
    public void A_rekey_goes_to_the_same_address_without_a_lookup()
    {
        StartServer(First);
        _resolver.Answer = ServerLookup.Found(Name, [First]);
        StartClient();
        Assert.True(Client.IsConnected);
        var lookups = _resolver.Lookups;

        _resolver.Answer = ServerLookup.Found(Name, [Moved]); // would be wrong: a rekey keeps the session's server
        Client.Rehandshake();
        _network.Pump();

        Assert.Equal(2, Client.Handshakes);
        Assert.Equal(lookups, _resolver.Lookups);
        Assert.Equal(First, Client.Server);
        Assert.True(Client.IsConnected);
    }

    [Fact]
    public void When_the_first_address_does_not_answer_the_next_attempt_takes_the_next_one()
    {
        StartServer(First);
        _resolver.Answer = ServerLookup.Found(Name, [Nowhere, First]);
        StartClient();
        Assert.False(Client.IsConnected);
        Assert.Equal(Nowhere, Client.Server);

        Run(TimeSpan.FromSeconds(5));

        Assert.True(Client.IsConnected);
        Assert.Equal(First, Client.Server);
        Assert.Equal(2, _resolver.Lookups);
    }

    public void Dispose()
    {
        _client?.Dispose();
        _server?.Dispose();
    }

    /// <summary>Answers every lookup at once with what the test set, counting them.</summary>
    private sealed class ScriptedResolver : IServerResolver
    {
        public ServerLookup Answer { get; set; } = ServerLookup.Failed(Name, "no answer set");

        /// <summary>Lookups are taken and never answered (a resolver waiting on a DNS server that does not reply).</summary>
        public bool Silent { get; set; }

        public int Lookups { get; private set; }

        string IServerResolver.Name => Name;

        public void Resolve(Action<ServerLookup> done)
        {
            Lookups++;
            if (!Silent)
                done(Answer);
        }
    }
}
