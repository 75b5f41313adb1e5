using MyVpn.Net;

namespace MyVpn.Sim.Scenarios;

/// <summary>Pings across the seed network, run on virtual time until they are answered or time out.</summary>
internal sealed partial class SeedNetwork
{
    /// <summary>Pings <paramref name="target"/> from <paramref name="from"/> and runs until the reply (or the timeout).</summary>
    public PingRecord? Ping(SimHost from, IPv4Address target, TimeSpan? timeout = null)
    {
        var record = Network.StartPing(from, target);
        if (record is not null)
            Clock.RunUntil(() => record.Replied, timeout ?? TimeSpan.FromSeconds(5));
        return record;
    }

    /// <summary>Pings <paramref name="target"/> over IPv6 and runs until the reply (or the timeout).</summary>
    public Ping6Record? Ping6(SimHost from, IPv6Address target, TimeSpan? timeout = null)
    {
        var record = Network.StartPing6(from, target);
        if (record is not null)
            Clock.RunUntil(() => record.Replied, timeout ?? TimeSpan.FromSeconds(5));
        return record;
    }

    /// <summary>
    /// Pings again every <paramref name="interval"/> until one is answered (the target is looked up
    /// each time, as a user would retype it) or <paramref name="limit"/> passes. The answered ping, or null.
    /// </summary>
    public PingRecord? PingUntilReplied(SimHost from, Func<IPv4Address?> target, TimeSpan limit, TimeSpan interval)
    {
        var deadline = Network.Now + limit.Ticks;
        while (Network.Now < deadline)
        {
            var slice = TimeSpan.FromTicks(Math.Min(interval.Ticks, deadline - Network.Now));
            var record = target() is { } address ? Network.StartPing(from, address) : null;
            if (record is not null && Clock.RunUntil(() => record.Replied, slice))
                return record;
            if (record is null)
                Clock.RunFor(slice);
        }
        return null;
    }

    /// <summary>As <see cref="PingUntilReplied"/>, over IPv6.</summary>
    public Ping6Record? Ping6UntilReplied(SimHost from, Func<IPv6Address?> target, TimeSpan limit, TimeSpan interval)
    {
        var deadline = Network.Now + limit.Ticks;
        while (Network.Now < deadline)
        {
            var slice = TimeSpan.FromTicks(Math.Min(interval.Ticks, deadline - Network.Now));
            var record = target() is { } address ? Network.StartPing6(from, address) : null;
            if (record is not null && Clock.RunUntil(() => record.Replied, slice))
                return record;
            if (record is null)
                Clock.RunFor(slice);
        }
        return null;
    }
}
