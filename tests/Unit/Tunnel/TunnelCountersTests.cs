using MyVpn.Protocol;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// The engines' counters: <see cref="DropCounters"/>, <see cref="HandshakeCounters"/>, <see cref="TrafficTally"/>
/// and <see cref="TrafficTotals"/> count each event once, under its own reason, and report what they counted.
/// </summary>
public sealed class TunnelCountersTests
{
    [Fact]
    public void Drops_are_counted_per_reason_and_in_total()
    {
        var drops = new DropCounters();

        drops.Add(DropReason.Replayed);
        drops.Add(DropReason.Replayed);
        drops.Add(DropReason.DatagramTooShort);
        drops.Add(DropReason.PacketTooBigUnanswered);

        Assert.Equal(2, drops[DropReason.Replayed]);
        Assert.Equal(1, drops[DropReason.DatagramTooShort]);
        Assert.Equal(1, drops[DropReason.PacketTooBigUnanswered]);
        Assert.Equal(0, drops[DropReason.AuthenticationFailed]);
        Assert.Equal(4, drops.Total);
    }

    [Fact]
    public void NonZero_and_ToString_list_only_the_reasons_counted_in_the_enums_order()
    {
        var drops = new DropCounters();
        Assert.Empty(drops.NonZero());
        Assert.Equal("", drops.ToString());

        drops.Add(DropReason.SessionClosed);
        drops.Add(DropReason.DatagramTooShort);
        drops.Add(DropReason.SessionClosed);

        Assert.Equal([KeyValuePair.Create(DropReason.DatagramTooShort, 1L), KeyValuePair.Create(DropReason.SessionClosed, 2L)],
            drops.NonZero().ToList());
        Assert.Equal("DatagramTooShort=1, SessionClosed=2", drops.ToString());
    }

    [Fact]
    public void The_last_reason_has_a_counter_of_its_own()
    {
        var drops = new DropCounters();
        var last = Enum.GetValues<DropReason>()[^1];

        drops.Add(last);

        Assert.Equal(1, drops[last]);
        Assert.Equal(1, drops.Total);
        Assert.Equal([last], drops.NonZero().Keys);
    }

    [Fact]
    public void Handshakes_count_successes_rekeys_and_failures_by_reason_and_report_each_duration()
    {
        var handshakes = new HandshakeCounters();
        var durations = new List<TimeSpan>();
        handshakes.Completed += durations.Add;

        handshakes.Succeed(TimeSpan.FromMilliseconds(40), rekey: false);
        handshakes.Succeed(TimeSpan.FromMilliseconds(25), rekey: true);
        handshakes.Fail(HandshakeError.Truncated);
        handshakes.Fail(HandshakeError.Truncated);
        handshakes.Fail(HandshakeError.Malformed);

        Assert.Equal(2, handshakes.Succeeded);
        Assert.Equal(1, handshakes.Rekeys);
        Assert.Equal(2, handshakes[HandshakeError.Truncated]);
        Assert.Equal(1, handshakes[HandshakeError.Malformed]);
        Assert.Equal(0, handshakes[HandshakeError.InvalidPublicKey]);
        Assert.Equal([TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(25)], durations);
    }

    [Fact]
    public void A_handshake_completes_without_anyone_listening()
    {
        var handshakes = new HandshakeCounters();

        handshakes.Succeed(TimeSpan.FromSeconds(1), rekey: false);

        Assert.Equal(1, handshakes.Succeeded);
        Assert.Equal(0, handshakes.Rekeys);
    }

    [Fact]
    public void A_tally_counts_packets_and_their_bytes()
    {
        var tally = new TrafficTally();

        tally.Add(60);
        tally.Add(1420);
        tally.Add(0);

        Assert.Equal(3, tally.Packets);
        Assert.Equal(1480, tally.Bytes);
    }

    [Fact]
    public void Totals_add_each_direction_to_its_own_field()
    {
        var totals = TrafficTotals.Zero.Plus(1, 20, 300, 4000).Plus(5, 60, 700, 8000);

        Assert.Equal(new TrafficTotals(6, 80, 1000, 12000), totals);
        Assert.Equal(new TrafficTotals(0, 0, 0, 0), TrafficTotals.Zero);
    }
}
