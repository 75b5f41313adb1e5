using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>One end of a handshake stream of a <see cref="ChannelNetwork"/>: what it sends is recorded on the wire and delivered to its peer when pumped.</summary>
internal sealed class ChannelStream(ChannelNetwork network, NetEndpoint remote, IStreamHandler? handler) : IStreamConnection
{
    private bool _closed;

    public IStreamHandler? Handler { get; set; } = handler;
    public ChannelStream? Peer { get; set; }
    public NetEndpoint RemoteEndpoint { get; } = remote;

    public void Send(ReadOnlySpan<byte> data)
    {
        if (_closed || Peer is null)
            return;
        var bytes = data.ToArray();
        var peer = Peer;
        network.Wire.Add(new WireDatagram(peer.RemoteEndpoint, RemoteEndpoint, bytes, Tcp: true));
        network.Enqueue(() => peer.Arrive(bytes));
    }

    private void Arrive(byte[] bytes)
    {
        if (!_closed)
            Handler!.OnData(bytes);
    }

    public void Close()
    {
        if (_closed)
            return;
        var peer = Peer;
        Closed();
        if (peer is not null)
            network.Enqueue(peer.Closed);
    }

    internal void Closed()
    {
        if (_closed)
            return;
        _closed = true;
        Handler?.OnClosed();
    }
}
