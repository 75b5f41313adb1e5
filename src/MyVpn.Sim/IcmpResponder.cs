using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// A host's ICMP echo responder (what the kernel does for <c>ping</c>): answers every echo request
/// for one of the host's addresses and remembers who asked.
/// </summary>
internal sealed class IcmpResponder
{
    private readonly List<AnsweredEcho> _answered = [];

    public IReadOnlyList<AnsweredEcho> Answered => _answered;

    /// <summary>The source addresses of the requests answered, in order.</summary>
    public IEnumerable<IPv4Address> SeenSources => _answered.Select(a => a.Source);

    private readonly List<IPv6Address> _seenSources6 = [];

    /// <summary>The source addresses of the IPv6 requests answered, in order.</summary>
    public IReadOnlyList<IPv6Address> SeenSources6 => _seenSources6;

    /// <summary>Records an IPv6 request and returns the reply packet to send.</summary>
    public byte[] Answer6(long now, Icmp6Echo request)
    {
        _seenSources6.Add(request.Source);
        return request.Reply().ToPacket();
    }

    /// <summary>Records the request and returns the reply packet to send.</summary>
    public byte[] Answer(long now, IcmpEcho request)
    {
        PingPayload.TryReadSerial(request.Payload, out var serial);
        _answered.Add(new AnsweredEcho(now, request.Source, request.Target, serial));
        return request.Reply().ToPacket();
    }
}
