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

    /// <summary>Records the request and returns the reply packet to send.</summary>
    public byte[] Answer(long now, IcmpEcho request)
    {
        PingPayload.TryReadSerial(request.Payload, out var serial);
        _answered.Add(new AnsweredEcho(now, request.Source, request.Target, serial));
        return request.Reply().ToPacket();
    }
}
