using Microsoft.Extensions.Logging;
using MyVpn.Io;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>
/// The server engine: accepts handshakes, gives each session an address and its own UDP port,
/// and routes between sessions and the server's tun device. Thread-safe: every entry point
/// takes the engine's lock, so a host may call it from several threads.
/// </summary>
public sealed class VpnServer : IStreamAcceptor, IDisposable
{
    public VpnServer(ServerOptions options, ITunDevice tun, IDatagramBinder binder, TimeProvider time,
        IRandomSource random, ILogger<VpnServer>? logger = null)
    {
        throw new NotImplementedException("engine under construction");
    }

    public DropCounters Drops { get; } = new();

    /// <summary>The host calls this when the tun device has packets to read.</summary>
    public void OnTunReadable() => throw new NotImplementedException();

    /// <summary>The host calls this for each accepted handshake connection.</summary>
    public IStreamHandler Accept(IStreamConnection connection) => throw new NotImplementedException();

    public void Dispose() { }
}
