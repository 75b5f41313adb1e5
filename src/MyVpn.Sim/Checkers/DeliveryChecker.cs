using MyVpn.Net;

namespace MyVpn.Sim.Checkers;

/// <summary>
/// Each ping's request reaches only its target, at most once; each reply reaches only the pinger, at
/// most once, byte-equal to what was sent; and no host's tun receives a packet addressed elsewhere.
/// Host stacks call it as packets are delivered, so a violation is seen the moment it happens.
/// </summary>
internal sealed class DeliveryChecker(PingLedger pings, Violations violations)
{
    private const string Name = "delivery";

    /// <summary>Replies that reached a host other than the pinger after the pinger lost the address (not a fault).</summary>
    public long StrayReplies { get; private set; }

    public void OnEchoRequestDelivered(long now, SimHost host, IcmpEcho request)
    {
        if (!PingPayload.TryReadSerial(request.Payload, out var serial) || pings.Find(serial) is not { } record)
            return; // not one of ours (a hand-made packet in a test)
        RequestDelivered(now, host, record, request.Target == record.Target && host.Stack.IsLocal(record.Target),
            record.Target, request.Target, request.Payload.AsSpan().SequenceEqual(record.Request.Payload));
    }

    public void OnEchoReplyDelivered(long now, SimHost host, IcmpEcho reply)
    {
        if (!PingPayload.TryReadSerial(reply.Payload, out var serial) || pings.Find(serial) is not { } record)
            return;
        ReplyDelivered(now, host, record, record.From.Stack.IsLocal(reply.Target), reply.Source,
            reply.Source == record.Target && reply.Id == record.Request.Id && reply.Sequence == record.Request.Sequence
            && reply.Payload.AsSpan().SequenceEqual(record.Request.Payload), reply.Id, reply.Sequence);
    }

    public void OnEcho6RequestDelivered(long now, SimHost host, Icmp6Echo request)
    {
        if (!PingPayload.TryReadSerial(request.Payload, out var serial) || pings.Find6(serial) is not { } record)
            return;
        RequestDelivered(now, host, record, request.Target == record.Target && host.Stack.IsLocal6(record.Target),
            record.Target, request.Target, request.Payload.AsSpan().SequenceEqual(record.Request.Payload));
    }

    public void OnEcho6ReplyDelivered(long now, SimHost host, Icmp6Echo reply)
    {
        if (!PingPayload.TryReadSerial(reply.Payload, out var serial) || pings.Find6(serial) is not { } record)
            return;
        ReplyDelivered(now, host, record, record.From.Stack.IsLocal6(reply.Target), reply.Source,
            reply.Source == record.Target && reply.Id == record.Request.Id && reply.Sequence == record.Request.Sequence
            && reply.Payload.AsSpan().SequenceEqual(record.Request.Payload), reply.Id, reply.Sequence);
    }

    /// <param name="reachedTarget">The request was addressed to the ping's target and the host owns that address.</param>
    private void RequestDelivered<TAddress>(long now, SimHost host, PingOutcome record, bool reachedTarget, TAddress target, TAddress deliveredAs, bool payloadSame)
    {
        record.RequestDeliveries++;
        if (record.RequestDeliveries > 1)
            violations.Report(now, Name, $"ping #{record.Serial} request delivered {record.RequestDeliveries} times to {host.Name}");
        if (!reachedTarget)
            violations.Report(now, Name, $"ping #{record.Serial} for {target} delivered to {host.Name} as {deliveredAs}");
        if (!payloadSame)
            violations.Report(now, Name, $"ping #{record.Serial} request payload altered on the way to {host.Name}");
    }

    /// <param name="pingerOwnsAddress">The pinger still owns the address the reply was sent to.</param>
    /// <param name="matches">Source, id, sequence and payload are the request's.</param>
    private void ReplyDelivered<TAddress>(long now, SimHost host, PingOutcome record, bool pingerOwnsAddress, TAddress source, bool matches, ushort id, ushort sequence)
    {
        if (host != record.From)
        {
            // Delivering to whoever owns the address now is right (an address reassigned after a restart,
            // a reply reaching the gateway after its NAT table was lost); it is wrong while the pinger owns it.
            if (pingerOwnsAddress)
                violations.Report(now, Name, $"ping #{record.Serial} reply from {source} delivered to {host.Name}, not to {record.From.Name}");
            else
                StrayReplies++;
            return;
        }
        record.ReplyDeliveries++;
        if (record.ReplyDeliveries > 1)
            violations.Report(now, Name, $"ping #{record.Serial} reply delivered {record.ReplyDeliveries} times to {host.Name}");
        if (!matches)
        {
            violations.Report(now, Name, $"ping #{record.Serial} reply does not match its request (from {source}, id {id}, seq {sequence})");
            return;
        }
        record.RepliedAt ??= now;
    }

    /// <summary>The engine on <paramref name="host"/> wrote an IPv6 packet to its tun that is for someone else.</summary>
    public void OnMisdelivered6(long now, SimHost host, IPv6Address target) =>
        violations.Report(now, Name, $"{host.Name}'s tun received a packet for {target}");

    /// <summary>The engine on <paramref name="host"/> wrote a packet to its tun that is for someone else.</summary>
    public void OnMisdelivered(long now, SimHost host, IPv4Address target) =>
        violations.Report(now, Name, $"{host.Name}'s tun received a packet for {target}");
}
