using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;
using static MyVpn.Sim.Scenarios.RekeyReloadFaults;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The <see cref="FaultKind.Rekey"/> and <see cref="FaultKind.Reload"/> faults on the real engines: a rekey asked
/// for lands (even when the first request is lost), a client removed is out at once and back after its restore, a
/// client given a new key comes back with it, a change of the pushed settings reaches each client at its next
/// handshake; and seeds whose plans draw each form pass with every checker on.
/// </summary>
public sealed class RekeyReloadFaultTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static SeedNetwork Connected(ulong seed)
    {
        var net = SeedNetwork.Connected(seed);
        net.Clock.RunFor(TimeSpan.FromSeconds(1)); // the clients' first datagrams: the server knows where to ask
        return net;
    }

    private static void AssertNoViolation(SeedNetwork net) => Assert.False(net.Network.Violations.Any, net.Network.Violations.First);

    [Fact]
    public void The_server_asks_a_client_to_rekey_and_it_does_at_once()
    {
        var net = Connected(41);
        var before = net.Pc1.Engine!.HandshakeCounts.Rekeys;

        Assert.True(net.RequestRekey(net.Pc1));
        Assert.Equal(["pc1"], net.Rekeys.Pending);
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Engine.HandshakeCounts.Rekeys > before, TimeSpan.FromSeconds(2)));

        Assert.Empty(net.Rekeys.Pending);
        Assert.Equal(1, net.ServerEngine!.HandshakeCounts.Rekeys);
        Assert.True(net.Ping(net.Pc1.Host, net.Pc2.VpnAddress!.Value)?.Replied);
        net.Clock.RunFor(TimeSpan.FromSeconds(30)); // past the grace: the old keys are retired on both sides
        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.Pc1.VpnAddress, TimeSpan.FromSeconds(5), Interval));
        Assert.True(net.Rekeys.Checked > 0);
        AssertNoViolation(net);
    }

    [Fact]
    public void A_rekey_request_that_is_lost_is_sent_again_until_the_rekey_lands()
    {
        var net = Connected(42);
        net.Partition(net.Pc1, TimeSpan.FromSeconds(3));

        Assert.True(net.RequestRekey(net.Pc1)); // lost in the partition
        net.Clock.RunFor(TimeSpan.FromSeconds(3));
        Assert.Equal(0, net.Pc1.Engine!.HandshakeCounts.Rekeys);
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Engine.HandshakeCounts.Rekeys > 0, TimeSpan.FromSeconds(10)));

        Assert.Empty(net.Rekeys.Pending);
        AssertNoViolation(net);
    }

    [Fact]
    public void The_server_cannot_ask_a_client_it_has_no_session_of()
    {
        var net = Connected(43);

        Assert.False(net.ServerEngine!.RequestRekey("nobody"));
        net.RemoveClient(net.Pc2, TimeSpan.FromSeconds(30));
        Assert.False(net.RequestRekey(net.Pc2));
        Assert.Empty(net.Rekeys.Pending);
    }

    [Fact]
    public void A_client_rekeys_on_its_own()
    {
        var net = Connected(44);

        Assert.True(net.Rehandshake(net.Pc2));
        Assert.True(net.Clock.RunUntil(() => net.Pc2.Engine!.HandshakeCounts.Rekeys > 0, TimeSpan.FromSeconds(2)));

        Assert.Empty(net.Rekeys.Pending);
        AssertNoViolation(net);
    }

    [Fact]
    public void A_removed_client_is_out_at_once_and_gets_back_in_after_its_restore()
    {
        var net = Connected(45);

        net.RemoveClient(net.Pc1, TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(net.ServerEngine!.Sessions, s => s.Name == "pc1");
        Assert.DoesNotContain("pc1", net.ConfiguredClients);
        Assert.Null(net.PingUntilReplied(net.Pc1.Host, () => net.ServerVpnAddress, TimeSpan.FromSeconds(9), Interval));
        net.Clock.RunFor(TimeSpan.FromSeconds(1));
        Assert.Contains("pc1", net.ConfiguredClients);
        Assert.NotNull(net.PingUntilReplied(net.Pc1.Host, () => net.ServerVpnAddress, TimeSpan.FromSeconds(90), Interval));
        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.Pc1.VpnAddress, TimeSpan.FromSeconds(5), Interval));
        Assert.True(net.Reloads.Checked > 0);
        AssertNoViolation(net);
    }

    [Fact]
    public void A_client_removed_before_its_first_session_is_started_again_at_its_restore()
    {
        var net = SeedNetwork.Build(46, new SeedNetworkOptions { ClientCount = 2 });
        Assert.True(net.Connect(net.Pc1, TimeSpan.FromSeconds(30)));
        net.RemoveClient(net.Pc2, TimeSpan.FromSeconds(5));
        net.StartClient(net.Pc2);
        Assert.True(net.Clock.RunUntil(() => net.Pc2.AuthenticationFailure is not null, TimeSpan.FromSeconds(4)));

        net.Clock.RunFor(TimeSpan.FromSeconds(2));

        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.ServerVpnAddress, TimeSpan.FromSeconds(30), Interval));
        AssertNoViolation(net);
    }

    [Fact]
    public void A_client_whose_refusal_for_a_removal_arrives_after_its_restore_is_started_again()
    {
        var net = SeedNetwork.Build(47, new SeedNetworkOptions { ClientCount = 2 });
        Assert.True(net.Connect(net.Pc1, TimeSpan.FromSeconds(30)));
        Assert.True(net.Connect(net.Pc2, TimeSpan.FromSeconds(30)));
        // 500 ms a crossing: the server refuses the final message at 2.5 s, still removed; the refusal lands at 3.0 s
        var slow = TimeSpan.FromMilliseconds(500);
        net.Network.SetFaults(net.Pc2.Host, net.Server, LinkFaults.None with { DelayMin = slow, DelayMean = slow });
        net.RemoveClient(net.Pc2, TimeSpan.FromSeconds(2.7));
        net.RestartClient(net.Pc2); // it starts while removed: the server refuses it
        Assert.True(net.Clock.RunUntil(() => net.Pc2.AuthenticationFailure is not null, TimeSpan.FromSeconds(4)));
        Assert.Contains("pc2", net.ConfiguredClients); // the refusal came after the restore

        Assert.True(net.Clock.RunUntil(() => net.Pc2.Grant is not null, TimeSpan.FromSeconds(10)));

        Assert.Contains(net.Network.Trace.Lines, l => l.Contains("pc2 stopped at a refusal it got for a removal that is over"));
        net.Network.SetFaults(net.Pc2.Host, net.Server, LinkFaults.None); // pings a second apart need the link fast again
        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.Pc1.VpnAddress, TimeSpan.FromSeconds(10), Interval));
        AssertNoViolation(net);
    }

    [Fact]
    public void A_reload_while_the_server_is_paused_takes_effect_when_it_wakes_in_order()
    {
        var net = Connected(51);
        net.Server.Pause(TimeSpan.FromSeconds(10));

        net.RemoveClient(net.Pc1, TimeSpan.FromSeconds(5)); // written now, reloaded at the resume
        Assert.Contains(net.ServerEngine!.Sessions, s => s.Name == "pc1");
        net.Clock.RunFor(TimeSpan.FromSeconds(6)); // restored in the configuration before the server woke
        Assert.Contains(net.ServerEngine.Sessions, s => s.Name == "pc1");
        net.Clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.False(net.Server.Paused);
        Assert.Contains("pc1", net.ConfiguredClients);
        Assert.NotNull(net.PingUntilReplied(net.Pc1.Host, () => net.Pc2.VpnAddress, TimeSpan.FromSeconds(90), Interval));
        AssertNoViolation(net);
    }

    [Fact]
    public void Healing_restores_a_removed_client()
    {
        var net = Connected(47);
        net.RemoveClient(net.Pc2, TimeSpan.FromMinutes(10));

        net.Heal();

        Assert.Contains("pc2", net.ConfiguredClients);
        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.ServerVpnAddress, TimeSpan.FromSeconds(90), Interval));
        AssertNoViolation(net);
    }

    [Fact]
    public void A_client_given_a_new_key_comes_back_with_it()
    {
        var net = Connected(48);
        var oldKey = net.Pc2.Options.Key;

        net.ChangeKey(net.Pc2);

        Assert.NotEqual(oldKey, net.Pc2.Options.Key);
        Assert.Equal(net.Pc2.Options.Key, net.VpnServerOptions.Clients.Single(c => c.Name == "pc2").Key);
        net.Network.SetFaults(net.Pc2.Host, net.Server, LinkFaults.None); // pings a second apart need the link fast again
        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.Pc1.VpnAddress, TimeSpan.FromSeconds(10), Interval));
        net.RestartServer(); // a restarted server reads the new key too
        Assert.NotNull(net.PingUntilReplied(net.Pc2.Host, () => net.Pc1.VpnAddress, TimeSpan.FromSeconds(90), Interval));
        AssertNoViolation(net);
    }

    [Fact]
    public void A_client_added_to_the_configuration_changes_no_session()
    {
        var net = Connected(49);
        var before = net.ServerEngine!.Sessions.Select(s => (s.Name, s.SessionId)).ToList();

        net.AddClientEntry();

        Assert.Equal(before, net.ServerEngine.Sessions.Select(s => (s.Name, s.SessionId)).ToList());
        Assert.Contains("extra1", net.ConfiguredClients);
        AssertNoViolation(net);
    }

    [Fact]
    public void New_pushed_settings_reach_each_client_at_its_next_handshake()
    {
        var net = Connected(50);
        var pushed = PushedFor(7);

        net.Push(pushed);
        Assert.True(net.Pc1.Grant!.Pushed.IsEmpty); // nothing changes before the next handshake
        Assert.True(net.RequestRekey(net.Pc1));
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Engine!.HandshakeCounts.Rekeys > 0, TimeSpan.FromSeconds(2)));

        Assert.Equal(pushed, net.Pc1.Grant!.Pushed);
        Assert.Equal(pushed, net.Pc1.Engine!.Grant!.Pushed);
        Assert.True(net.Pc2.Grant!.Pushed.IsEmpty);
        net.RestartServer();
        Assert.True(net.Clock.RunUntil(() => pushed.Equals(net.Pc2.Grant?.Pushed), TimeSpan.FromSeconds(90)));
        AssertNoViolation(net);
    }

    public static TheoryData<string> Forms() => ["server asks", "client re-handshakes", .. Enum.GetNames<ReloadChange>()];

    [Theory]
    [MemberData(nameof(Forms))]
    public void A_seed_whose_plan_draws_the_form_passes(string form)
    {
        var seed = FirstSeedWith(form);

        var result = ChaosScenario.Run(seed);

        Assert.True(result.Passed, $"seed {seed}: {result.Failure}\nreproduce: {result.Reproduction}");
    }

    /// <summary>The first seed whose plan draws <paramref name="form"/> of a rekey or reload fault.</summary>
    private static ulong FirstSeedWith(string form)
    {
        for (ulong seed = 1; seed < 5000; seed++)
        {
            var (_, plan) = ChaosScenario.Draw(seed);
            if (plan.Events.Any(e => Form(e) == form))
                return seed;
        }
        throw new InvalidOperationException($"no seed below 5000 draws {form}");
    }

    private static string? Form(ScheduledFault fault) => fault.Kind switch
    {
        FaultKind.Rekey => ServerAsks(fault.Variant) ? "server asks" : "client re-handshakes",
        FaultKind.Reload => ReloadOf(fault.Variant).ToString(),
        _ => null,
    };
}
