using Microsoft.Extensions.Logging;
using MyVpn.Io;
using MyVpn.Protocol;

namespace MyVpn.Client;

/// <summary>
/// The client engine: handshakes with the server, then carries packets between the tun device and
/// its server port; re-handshakes (with backoff) when the server stops answering.
/// Thread-safe like <see cref="Server.VpnServer"/>.
/// </summary>
public sealed class VpnClient : IDisposable
{
    public VpnClient(ClientOptions options, ITunDevice tun, IDatagramBinder binder, IStreamConnector connector,
        TimeProvider time, IRandomSource random, ILogger<VpnClient>? logger = null)
    {
        throw new NotImplementedException("engine under construction");
    }

    /// <summary>Raised (under the engine's lock) when a session is up: the host sets the tun address, MTU and routes.</summary>
    public event Action<SessionGrant>? Connected;

    /// <summary>Raised when the server refused this client's key: permanent, the client stops trying.</summary>
    public event Action<string>? AuthenticationFailed;

    public SessionGrant? Grant { get; private set; }

    public DropCounters Drops { get; } = new();

    /// <summary>Starts the first handshake.</summary>
    public void Start()
    {
        Connected?.Invoke(Grant!);
        AuthenticationFailed?.Invoke("stub");
        throw new NotImplementedException();
    }

    /// <summary>The host calls this when the tun device has packets to read.</summary>
    public void OnTunReadable() => throw new NotImplementedException();

    public void Dispose()
    {
        Connected = null;
        AuthenticationFailed = null;
    }
}
