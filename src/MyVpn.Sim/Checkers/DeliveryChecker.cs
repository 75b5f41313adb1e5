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
        record.RequestDeliveries++;
        if (record.RequestDeliveries > 1)
            violations.Report(now, Name, $"ping #{serial} request delivered {record.RequestDeliveries} times to {host.Name}");
        if (request.Target != record.Target || !host.Stack.IsLocal(record.Target))
            violations.Report(now, Name, $"ping #{serial} for {record.Target} delivered to {host.Name} as {request.Target}");
        if (!request.Payload.AsSpan().SequenceEqual(record.Request.Payload))
            violations.Report(now, Name, $"ping #{serial} request payload altered on the way to {host.Name}");
    }

    public void OnEchoReplyDelivered(long now, SimHost host, IcmpEcho reply)
    {
        if (!PingPayload.TryReadSerial(reply.Payload, out var serial) || pings.Find(serial) is not { } record)
            return;
        if (host != record.From)
        {
            // Delivering to whoever owns the address now is right (an address reassigned after a restart,
            // a reply reaching the gateway after its NAT table was lost); it is wrong while the pinger owns it.
            if (record.From.Stack.IsLocal(reply.Target))
                violations.Report(now, Name, $"ping #{serial} reply from {reply.Source} delivered to {host.Name}, not to {record.From.Name}");
            else
                StrayReplies++;
            return;
        }
        record.ReplyDeliveries++;
        if (record.ReplyDeliveries > 1)
            violations.Report(now, Name, $"ping #{serial} reply delivered {record.ReplyDeliveries} times to {host.Name}");
        if (reply.Source != record.Target || reply.Id != record.Request.Id || reply.Sequence != record.Request.Sequence
            || !reply.Payload.AsSpan().SequenceEqual(record.Request.Payload))
        {
            violations.Report(now, Name, $"ping #{serial} reply does not match its request (from {reply.Source}, id {reply.Id}, seq {reply.Sequence})");
            return;
        }
        record.RepliedAt ??= now;
    }

    public void OnEcho6RequestDelivered(long now, SimHost host, Icmp6Echo request)
    {
        if (!PingPayload.TryReadSerial(request.Payload, out var serial) || pings.Find6(serial) is not { } record)
            return;
        record.RequestDeliveries++;
        if (record.RequestDeliveries > 1)
            violations.Report(now, Name, $"ping #{serial} request delivered {record.RequestDeliveries} times to {host.Name}");
        if (request.Target != record.Target || !host.Stack.IsLocal6(record.Target))
            violations.Report(now, Name, $"ping #{serial} for {record.Target} delivered to {host.Name} as {request.Target}");
        if (!request.Payload.AsSpan().SequenceEqual(record.Request.Payload))
            violations.Report(now, Name, $"ping #{serial} request payload altered on the way to {host.Name}");
    }

    public void OnEcho6ReplyDelivered(long now, SimHost host, Icmp6Echo reply)
    {
        if (!PingPayload.TryReadSerial(reply.Payload, out var serial) || pings.Find6(serial) is not { } record)
            return;
        if (host != record.From)
        {
            if (record.From.Stack.IsLocal6(reply.Target))
                violations.Report(now, Name, $"ping #{serial} reply from {reply.Source} delivered to {host.Name}, not to {record.From.Name}");
            else
                StrayReplies++;
            return;
        }
        record.ReplyDeliveries++;
        if (record.ReplyDeliveries > 1)
            violations.Report(now, Name, $"ping #{serial} reply delivered {record.ReplyDeliveries} times to {host.Name}");
        if (reply.Source != record.Target || reply.Id != record.Request.Id || reply.Sequence != record.Request.Sequence
            || !reply.Payload.AsSpan().SequenceEqual(record.Request.Payload))
        {
            violations.Report(now, Name, $"ping #{serial} reply does not match its request (from {reply.Source}, id {reply.Id}, seq {reply.Sequence})");
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
