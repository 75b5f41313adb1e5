using MyVpn.Net;

namespace MyVpn.Sim.Scenarios;

/// <summary>Pings across the seed network, run on virtual time until they are answered or time out.</summary>
internal sealed partial class SeedNetwork
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pings <paramref name="target"/> from <paramref name="from"/> and runs until the reply (or the timeout).</summary>
    public PingRecord? Ping(SimHost from, IPv4Address target, TimeSpan? timeout = null) =>
        RunUntilReplied(Network.StartPing(from, target), timeout ?? PingTimeout);

    /// <summary>Pings <paramref name="target"/> over IPv6 and runs until the reply (or the timeout).</summary>
    public Ping6Record? Ping6(SimHost from, IPv6Address target, TimeSpan? timeout = null) =>
        RunUntilReplied(Network.StartPing6(from, target), timeout ?? PingTimeout);

    /// <summary>
    /// Pings again every <paramref name="interval"/> until one is answered (the target is looked up
    /// each time, as a user would retype it) or <paramref name="limit"/> passes. The answered ping, or null.
    /// </summary>
    public PingRecord? PingUntilReplied(SimHost from, Func<IPv4Address?> target, TimeSpan limit, TimeSpan interval) =>
        RetryUntilReplied(() => target() is { } address ? Network.StartPing(from, address) : null, limit, interval);

    /// <summary>As <see cref="PingUntilReplied"/>, over IPv6.</summary>
    public Ping6Record? Ping6UntilReplied(SimHost from, Func<IPv6Address?> target, TimeSpan limit, TimeSpan interval) =>
        RetryUntilReplied(() => target() is { } address ? Network.StartPing6(from, address) : null, limit, interval);

    private T? RunUntilReplied<T>(T? record, TimeSpan timeout) where T : PingOutcome
    {
        if (record is not null)
            Clock.RunUntil(() => record.Replied, timeout);
        return record;
    }

    /// <summary>Starts a ping (null: nothing could be sent now) every <paramref name="interval"/> until one is answered.</summary>
    private T? RetryUntilReplied<T>(Func<T?> start, TimeSpan limit, TimeSpan interval) where T : PingOutcome
    {
        var deadline = Network.Now + limit.Ticks;
        while (Network.Now < deadline)
        {
            var slice = TimeSpan.FromTicks(Math.Min(interval.Ticks, deadline - Network.Now));
            var record = start();
            if (record is not null && Clock.RunUntil(() => record.Replied, slice))
                return record;
            if (record is null)
                Clock.RunFor(slice);
        }
        return null;
    }
}
