using Microsoft.Extensions.Logging;

namespace MyVpn.Linux;

/// <summary>
/// The host's I/O threads: with two or more, one <see cref="Poller"/> for the tun device (the
/// tun→network direction) and one or more for the UDP sockets (the network→tun direction), so the two
/// directions run on different cores; with one, a single poller watches everything. Every descriptor is
/// watched by exactly one poller for its whole life: one reader per descriptor, so packets within a
/// flow are never reordered. See <c>docs/threading.md</c> (and why "auto" means one thread on a
/// machine with two CPUs or fewer).
/// </summary>
internal sealed class PollerSet : IDisposable
{
    /// <summary>The most socket threads a server runs: sessions beyond that share them.</summary>
    public const int MaxSocketThreads = 4;

    private readonly Poller[] _sockets;

    /// <param name="socketThreads">Threads for the UDP sockets; 0: none of their own, the tun thread serves them too.</param>
    public PollerSet(ILoggerFactory loggers, int socketThreads)
    {
        var logger = loggers.CreateLogger("myvpn.poller");
        if (socketThreads <= 0)
        {
            Tun = new Poller(logger, "myvpn-io");
            _sockets = [Tun];
            return;
        }
        Tun = new Poller(logger, "myvpn-tun");
        _sockets = new Poller[socketThreads];
        for (var i = 0; i < _sockets.Length; i++)
            _sockets[i] = new Poller(logger, $"myvpn-udp{i}");
    }

    /// <summary>
    /// Socket threads of their own for a server with <paramref name="threads"/> I/O threads in all
    /// (null: auto): none with one thread; else one per thread beside the tun thread's, at most
    /// <see cref="MaxSocketThreads"/> (each session's socket is served by one of them).
    /// </summary>
    public static int ServerSocketThreads(int? threads, int processors) =>
        Math.Min(Threads(threads, processors) - 1, MaxSocketThreads);

    /// <summary>Socket threads of their own for a client: none with one I/O thread, else one.</summary>
    public static int ClientSocketThreads(int? threads, int processors) => Math.Min(Threads(threads, processors) - 1, 1);

    /// <summary>
    /// Auto (null) is one thread on a machine with 2 CPUs or fewer, else one per CPU: on 2 vCPUs a second
    /// I/O thread cost 0.1 ms of ping and 8 % more CPU for at most 10 % more throughput, because the
    /// kernel's half of the work (TCP, tun, UDP) needs the other CPU (docs/threading.md).
    /// </summary>
    public static int Threads(int? threads, int processors) => threads ?? (processors <= 2 ? 1 : processors);

    /// <summary>How the threads are laid out, for the start-up log line.</summary>
    public string Layout => _sockets.Length == 1 && ReferenceEquals(_sockets[0], Tun)
        ? "1 (tun device and UDP sockets on one thread)"
        : $"{_sockets.Length + 1} (tun device on one, UDP sockets on {_sockets.Length})";

    /// <summary>Watches the tun device.</summary>
    public Poller Tun { get; }

    /// <summary>Watch the UDP sockets (given out by <see cref="LinuxUdpBinder"/>).</summary>
    public IReadOnlyList<Poller> Sockets => _sockets;

    public void Dispose()
    {
        Tun.Dispose();
        foreach (var poller in _sockets)
            poller.Dispose(); // the shared poller of a one-thread set is disposed twice: Dispose is idempotent
    }
}
