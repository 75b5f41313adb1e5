using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Checkers;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The rekey, reload and pushed-settings checkers on their own: each is fed what a broken engine would do and
/// must report it, and what a working one does and must stay quiet.
/// </summary>
public sealed class RekeyReloadCheckerTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private static readonly PushedSettings Routes = new([IPv4Range.Parse("172.16.1.0/24")], [IPv4Address.Parse("192.0.2.1")], []);

    private static (SimNetwork Network, RekeyChecker Checker) Rekey()
    {
        var network = new SimNetwork(1);
        return (network, new RekeyChecker(network, network.Violations, Grace, Grace));
    }

    private static SessionGrant Grant(uint sessionId, PushedSettings pushed) =>
        new(sessionId, IPv4Address.Parse("10.0.0.2"), 24, IPv4Address.Parse("10.0.0.1"), 40000, 1420, TimeSpan.FromSeconds(10)) { Pushed = pushed };

    [Fact]
    public void Retired_keys_opening_after_their_grace_on_the_server_are_caught()
    {
        var (network, checker) = Rekey();
        checker.OnServerOpened("pc1", 1);
        checker.OnServerOpened("pc1", 2); // the rekeyed keys open: 1 retires now
        network.Clock.RunFor(Grace);

        checker.OnServerOpened("pc1", 1);

        Assert.Contains("[rekey] the server opened a datagram of pc1 under session 00000001", network.Violations.First);
        Assert.Contains("after its 10 s grace", network.Violations.First);
    }

    [Fact]
    public void An_older_session_opening_first_after_a_newer_one_retired_when_the_newer_one_opened()
    {
        var (network, checker) = Rekey();
        checker.OnGranted("pc1", 5);
        checker.OnGranted("pc1", 3); // granted later: the newer session, though its id is smaller
        checker.OnServerOpened("pc1", 3);
        network.Clock.RunFor(TimeSpan.FromSeconds(4));

        checker.OnServerOpened("pc1", 5); // a late copy of the older session: within its grace, and 3 stays live
        checker.OnServerOpened("pc1", 3);
        network.Clock.RunFor(TimeSpan.FromSeconds(6));
        checker.OnServerOpened("pc1", 3);
        Assert.False(network.Violations.Any, network.Violations.First);

        checker.OnServerOpened("pc1", 5);
        Assert.Contains("[rekey] the server opened a datagram of pc1 under session 00000005, retired at t=0.000000", network.Violations.First);
    }

    [Fact]
    public void Retired_keys_opening_after_their_grace_on_a_client_are_caught()
    {
        var (network, checker) = Rekey();
        checker.OnClientOpened("pc2", 7);
        checker.OnClientOpened("pc2", 8);
        network.Clock.RunFor(TimeSpan.FromSeconds(11));

        checker.OnClientOpened("pc2", 7);

        Assert.Contains("pc2 opened a datagram of pc2 under session 00000007", network.Violations.First);
    }

    [Fact]
    public void Retired_keys_opening_within_their_grace_and_other_clients_keys_pass()
    {
        var (network, checker) = Rekey();
        checker.OnServerOpened("pc1", 1);
        checker.OnServerOpened("pc2", 5);
        checker.OnServerOpened("pc1", 2);
        network.Clock.RunFor(Grace - TimeSpan.FromTicks(1));
        checker.OnServerOpened("pc1", 1);
        network.Clock.RunFor(TimeSpan.FromMinutes(5));
        checker.OnServerOpened("pc2", 5); // pc2 never rekeyed: its keys are not retired
        checker.OnServerOpened("pc1", 2);

        Assert.False(network.Violations.Any, network.Violations.First);
        Assert.Equal(6, checker.Checked);
    }

    [Fact]
    public void A_rekey_asked_for_and_never_done_is_caught_at_the_end()
    {
        var (network, checker) = Rekey();
        checker.Asked("pc1");
        checker.Asked("pc2");
        checker.OnHandshake("pc2");
        network.Clock.RunFor(TimeSpan.FromSeconds(60));

        checker.CheckSettled();

        Assert.Equal(["pc1"], checker.Pending);
        Assert.Single(network.Violations.All);
        Assert.Contains("[rekey] pc1 was asked to rekey at t=0.000", network.Violations.First);
    }

    [Fact]
    public void A_rekey_asked_for_of_a_session_that_ended_is_settled()
    {
        var (network, checker) = Rekey();
        checker.Asked("pc1");
        checker.Asked("pc2");
        checker.OnSessionEnded("pc1");
        checker.OnAllSessionsEnded();

        checker.CheckSettled();

        Assert.Empty(checker.Pending);
        Assert.False(network.Violations.Any);
    }

    [Fact]
    public void A_removed_client_granted_a_handshake_is_caught()
    {
        var network = new SimNetwork(1);
        var checker = new ReloadChecker(network, network.Violations);
        checker.OnGranted("pc1", 1);
        checker.Removed("pc1");

        checker.OnGranted("pc1", 2);

        Assert.Contains("[reload] the server granted pc1 a handshake (session 00000002) while it was removed", network.Violations.First);
    }

    [Fact]
    public void A_removed_client_reporting_a_session_is_caught()
    {
        var network = new SimNetwork(1);
        var checker = new ReloadChecker(network, network.Violations);
        checker.Removed("pc2");

        checker.OnClientConnected("pc2", 7);

        Assert.Contains("[reload] pc2 completed a handshake (session 00000007) while it was removed", network.Violations.First);
    }

    [Fact]
    public void A_grant_sent_before_the_removal_may_reach_the_client_after_it_but_no_other()
    {
        var network = new SimNetwork(1);
        var checker = new ReloadChecker(network, network.Violations);
        checker.OnGranted("pc2", 3);
        checker.Removed("pc2");

        checker.OnClientConnected("pc2", 3);
        Assert.False(network.Violations.Any, network.Violations.First);

        checker.OnClientConnected("pc2", 4);
        Assert.Contains("[reload] pc2 completed a handshake (session 00000004) while it was removed", network.Violations.First);
    }

    [Theory]
    [InlineData(true, "removed")]
    [InlineData(false, "given a new key")]
    public void Data_of_a_session_a_reload_ended_is_caught_even_after_the_client_is_back(bool remove, string why)
    {
        var network = new SimNetwork(1);
        var checker = new ReloadChecker(network, network.Violations);
        checker.OnGranted("pc1", 1);
        checker.OnServerOpened("pc1", 1);
        if (remove)
            checker.Removed("pc1");
        else
            checker.Rekeyed("pc1");
        checker.Restored("pc1");
        checker.OnGranted("pc1", 2);
        checker.OnServerOpened("pc1", 2);
        Assert.False(network.Violations.Any, network.Violations.First);

        checker.OnServerOpened("pc1", 1);

        Assert.Contains($"under session 00000001, which ended when pc1 was {why}", network.Violations.First);
    }

    [Fact]
    public void A_grant_without_the_pushed_settings_in_effect_is_caught()
    {
        var network = new SimNetwork(1);
        var checker = new PushedSettingsChecker(network, network.Violations, PushedSettings.None);
        checker.OnGranted("pc1", Grant(1, PushedSettings.None));
        Assert.False(network.Violations.Any);
        checker.Set(Routes);

        checker.OnGranted("pc1", Grant(2, PushedSettings.None)); // a rekey that kept the old settings

        Assert.Contains("[pushed-settings] the server granted pc1 session 00000002 with pushed settings (none), not those in effect: (routes 172.16.1.0/24",
            network.Violations.First);
    }

    [Fact]
    public void A_client_holding_other_settings_than_granted_is_caught()
    {
        var network = new SimNetwork(1);
        var checker = new PushedSettingsChecker(network, network.Violations, Routes);
        checker.OnGranted("pc1", Grant(1, Routes));

        checker.OnClientConnected("pc1", Grant(1, PushedSettings.None));

        Assert.Contains("pc1 holds pushed settings (none) for session 00000001", network.Violations.First);
    }

    [Fact]
    public void A_client_reporting_a_session_never_granted_is_caught()
    {
        var network = new SimNetwork(1);
        var checker = new PushedSettingsChecker(network, network.Violations, Routes);

        checker.OnClientConnected("pc1", Grant(9, Routes));

        Assert.Contains("pc1 reports session 00000009, which the server never granted", network.Violations.First);
    }

    [Fact]
    public void A_client_applying_other_settings_than_its_last_grant_is_caught()
    {
        var network = new SimNetwork(1);
        var checker = new PushedSettingsChecker(network, network.Violations, Routes);
        checker.CheckApplied("pc1", Grant(1, Routes), Grant(1, Routes));
        Assert.False(network.Violations.Any);

        checker.CheckApplied("pc1", Grant(2, Routes), Grant(1, PushedSettings.None));

        Assert.Contains("pc1 applies pushed settings (none), not those its last handshake granted", network.Violations.First);
    }
}
