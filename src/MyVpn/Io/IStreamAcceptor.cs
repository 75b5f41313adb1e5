namespace MyVpn.Io;

/// <summary>Where the host hands accepted handshake connections (server side).</summary>
public interface IStreamAcceptor
{
    /// <summary>A new connection was accepted; returns the handler for its events.</summary>
    IStreamHandler Accept(IStreamConnection connection);
}
