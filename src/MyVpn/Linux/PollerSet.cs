using Microsoft.Extensions.Logging;

namespace MyVpn.Linux;

/// <summary>
/// The host's I/O threads: one <see cref="Poller"/> for the tun device (the tun→network direction)
/// and one or more for the UDP sockets (the network→tun direction), so the two directions run on
/// different cores. Every descriptor is watched by exactly one poller for its whole life: one reader
/// per descriptor, so packets within a flow are never reordered. See <c>docs/threading.md</c>.
/// </summary>
internal sealed class PollerSet : IDisposable
{
    /// <summary>The most socket threads a server runs: sessions beyond that share them.</summary>
    public const int MaxSocketThreads = 4;

    private readonly Poller[] _sockets;

    public PollerSet(ILoggerFactory loggers, int socketThreads)
    {
        var logger = loggers.CreateLogger("myvpn.poller");
        Tun = new Poller(logger, "myvpn-tun");
        _sockets = new Poller[Math.Max(1, socketThreads)];
        for (var i = 0; i < _sockets.Length; i++)
            _sockets[i] = new Poller(logger, $"myvpn-udp{i}");
    }

    /// <summary>
    /// Socket threads for a server: one per core beside the tun thread's, at least one, at most
    /// <see cref="MaxSocketThreads"/> (each session's socket is served by one of them).
    /// </summary>
    public static int ServerSocketThreads(int processors) => Math.Clamp(processors - 1, 1, MaxSocketThreads);

    /// <summary>Watches the tun device.</summary>
    public Poller Tun { get; }

    /// <summary>Watch the UDP sockets (given out by <see cref="LinuxUdpBinder"/>).</summary>
    public IReadOnlyList<Poller> Sockets => _sockets;

    public void Dispose()
    {
        Tun.Dispose();
        foreach (var poller in _sockets)
            poller.Dispose();
    }
}
