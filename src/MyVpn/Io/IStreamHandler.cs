namespace MyVpn.Io;

/// <summary>What happens on a stream, as the host reports it. Calls never overlap for one connection.</summary>
public interface IStreamHandler
{
    /// <summary>The connection is open (client side: connected; server side: accepted).</summary>
    void OnConnected();

    /// <summary>Bytes arrived, in order. The span is only valid during the call.</summary>
    void OnData(ReadOnlySpan<byte> data);

    /// <summary>The peer closed, the connection broke or it never connected. Called once, last.</summary>
    void OnClosed();
}
