using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class SimLinkTests
{
    private static SimLink NewLink(LinkFaults faults)
    {
        var network = new SimNetwork(11);
        var a = network.AddHost("a", MyVpn.Net.IPv4Address.Parse("192.0.2.1"));
        var b = network.AddHost("b", MyVpn.Net.IPv4Address.Parse("192.0.2.2"));
        network.DefaultFaults = faults;
        return network.Link(a, b);
    }

    [Fact]
    public void Clean_link_delivers_every_datagram_once_after_the_fixed_delay()
    {
        var link = NewLink(LinkFaults.None);

        for (var i = 0; i < 1000; i++)
            Assert.Equal([new Arrival(TimeSpan.FromMilliseconds(5), ArrivalKind.Deliver)], link.DecideDatagram(0));
    }

    [Fact]
    public void Lossy_link_loses_about_the_configured_share()
    {
        var link = NewLink(LinkFaults.None with { LossPerMille = 100 });

        var lost = Enumerable.Range(0, 20_000).Count(_ => link.DecideDatagram(0).Count == 0);

        Assert.InRange(lost, 1700, 2300);
    }

    [Fact]
    public void Duplicating_link_delivers_about_the_configured_share_twice()
    {
        var link = NewLink(LinkFaults.None with { DuplicatePerMille = 50 });

        var twice = Enumerable.Range(0, 20_000).Count(_ => link.DecideDatagram(0).Count == 2);

        Assert.InRange(twice, 800, 1200);
    }

    [Fact]
    public void Replaying_link_sends_about_the_configured_share_again_seconds_later()
    {
        var link = NewLink(LinkFaults.None with { ReplayPerMille = 50 });

        var replays = Enumerable.Range(0, 20_000).SelectMany(_ => link.DecideDatagram(0)).Where(a => a.Kind == ArrivalKind.Replay).ToList();

        Assert.InRange(replays.Count, 800, 1200);
        Assert.All(replays, r => Assert.InRange(r.Delay, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Jitter_reorders_datagrams_but_never_beats_the_minimum_delay()
    {
        var faults = LinkFaults.None with { DelayMin = TimeSpan.FromMilliseconds(10), DelayMean = TimeSpan.FromMilliseconds(50) };
        var link = NewLink(faults);

        // Datagrams sent 1 ms apart: a later one arriving first is a reordering.
        var arrivals = Enumerable.Range(0, 1000).Select(i => TimeSpan.FromMilliseconds(i) + link.DecideDatagram(0)[0].Delay).ToList();

        Assert.All(arrivals.Select((t, i) => t - TimeSpan.FromMilliseconds(i)), d => Assert.True(d >= faults.DelayMin));
        var reordered = arrivals.Zip(arrivals.Skip(1)).Count(p => p.Second < p.First);
        Assert.InRange(reordered, 100, 900);
    }

    [Fact]
    public void Stream_segments_are_never_lost_and_never_reordered()
    {
        var link = NewLink(LinkFaults.None with { LossPerMille = 300, DelayMin = TimeSpan.FromMilliseconds(1), DelayMean = TimeSpan.FromMilliseconds(80) });

        var last = 0L;
        var arrivals = Enumerable.Range(0, 1000).Select(i => last = link.DecideSegment(i * TimeSpan.TicksPerMillisecond, last, out _)).ToList();

        Assert.Equal(arrivals.Order(), arrivals);
    }

    [Fact]
    public void A_lost_stream_segment_arrives_late_as_after_a_retransmission()
    {
        var link = NewLink(LinkFaults.None with { LossPerMille = 500 });

        var retransmitted = 0;
        for (var i = 0; i < 200; i++)
        {
            var now = i * TimeSpan.TicksPerSecond * 10; // far apart: no queueing behind each other
            var arrival = link.DecideSegment(now, 0, out var retransmissions);
            if (retransmissions > 0)
            {
                retransmitted++;
                Assert.True(arrival - now >= (TimeSpan.FromMilliseconds(5) + SimLink.RetransmissionDelay).Ticks);
            }
        }
        Assert.InRange(retransmitted, 60, 140);
    }

    [Fact]
    public void A_partitioned_link_loses_every_datagram_until_it_ends()
    {
        var link = NewLink(LinkFaults.None);
        link.DownUntil = TimeSpan.FromSeconds(10).Ticks;

        Assert.Empty(link.DecideDatagram(TimeSpan.FromSeconds(9).Ticks));
        Assert.Single(link.DecideDatagram(TimeSpan.FromSeconds(10).Ticks));
    }

    [Fact]
    public void A_segment_sent_into_a_partition_arrives_with_the_first_retransmission_after_it()
    {
        var link = NewLink(LinkFaults.None);
        link.DownUntil = TimeSpan.FromSeconds(1).Ticks;

        var arrival = link.DecideSegment(0, 0, out var retransmissions);

        // Retransmissions at 0.2, 0.6, 1.4 s: the third one gets through, 5 ms later.
        Assert.Equal(3, retransmissions);
        Assert.Equal(TimeSpan.FromMilliseconds(1405).Ticks, arrival);
    }
}
