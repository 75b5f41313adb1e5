using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>A UDP socket of a <see cref="ChannelNetwork"/>: arriving datagrams queue in an inbox and call the engine back on the pumping thread.</summary>
public sealed class ChannelSocket(ChannelNetwork network, NetEndpoint local, Action<IDatagramTransport> onReadable) : IDatagramTransport
{
    private readonly Queue<(NetEndpoint From, byte[] Bytes)> _inbox = new();
    private bool _closed;

    public NetEndpoint LocalEndpoint { get; } = local;
    public int BatchSize => 1;

    /// <summary>The source address datagrams leave with (changes to model NAT rebinding).</summary>
    public NetEndpoint SourceOverride { get; set; }

    /// <summary>While set, every datagram sent is refused with this reason (a send reason: the kernel's error), as a failing socket reports it.</summary>
    public DropReason? RefuseWith { get; set; }

    /// <summary>How many datagrams each <see cref="Send"/> call carried, in call order.</summary>
    public List<int> SendBatches { get; } = [];

    internal void Arrive(NetEndpoint from, byte[] bytes)
    {
        if (_closed)
            return;
        _inbox.Enqueue((from, bytes));
        onReadable(this);
    }

    public int Receive(Span<PacketBuffer> datagrams)
    {
        if (datagrams.IsEmpty || !_inbox.TryDequeue(out var d))
            return 0;
        d.Bytes.CopyTo(datagrams[0].Data.AsSpan(datagrams[0].Offset));
        datagrams[0].Length = d.Bytes.Length;
        datagrams[0].Endpoint = d.From;
        return 1;
    }

    public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        SendBatches.Add(datagrams.Length);
        var result = new SendResult();
        foreach (var d in datagrams)
        {
            if (RefuseWith is { } reason)
            {
                result.Drop(reason);
                continue;
            }
            network.SendDatagram(SourceOverride.Port != 0 ? SourceOverride : LocalEndpoint, d.Endpoint, d.Span.ToArray());
            result.Sent++;
        }
        return result;
    }

    public void Dispose()
    {
        _closed = true;
        network.Unbind(LocalEndpoint);
    }
}
