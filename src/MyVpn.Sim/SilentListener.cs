using MyVpn.Io;

namespace MyVpn.Sim;

/// <summary>
/// A listener that accepts every connection and never says anything (a machine running something else on
/// the port, a tarpit): a client that reaches it waits for its handshake deadline.
/// </summary>
internal sealed class SilentListener : IStreamAcceptor, IStreamHandler
{
    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    public IStreamHandler Accept(IStreamConnection connection)
    {
        Accepted++;
        return this;
    }

    public void OnConnected()
    {
    }

    public void OnData(ReadOnlySpan<byte> data)
    {
    }

    public void OnClosed()
    {
    }
}
