using MyVpn.Io;

namespace MyVpn.Tests.Unit.Support;

/// <summary>A hand-driven handshake connection: records what it receives and whether it was closed.</summary>
public sealed class RawStream : IStreamHandler
{
    public List<byte> Received { get; } = [];
    public bool Connected { get; private set; }
    public bool Closed { get; private set; }
    public IStreamConnection? Connection { get; set; }

    public void OnConnected() => Connected = true;
    public void OnData(ReadOnlySpan<byte> data) => Received.AddRange(data.ToArray());
    public void OnClosed() => Closed = true;
}
