namespace MyVpn.Sim.Scenarios;

/// <summary>The tun device's faults: it vanishes, its writes fail, its writer stalls; each ends after its time or when the network heals.</summary>
internal sealed partial class SeedNetwork
{
    /// <summary>Tun faults still on, oldest first; each ends once (its time runs out, or <see cref="Heal"/>).</summary>
    private readonly List<TunFault> _tunFaults = [];

    /// <summary>
    /// <paramref name="host"/>'s tun device vanishes (<c>ip link del tun0</c>). Its daemon learns at once (poll reports
    /// an error, the read fails with EBADFD) and exits (status 5: docs/operations.md); the service manager starts it
    /// again after <paramref name="downtime"/> (RestartSec and the start-up), on a new device that gets its address,
    /// routes and nftables afresh. The peers meanwhile see a silent server or client and handshake again.
    /// </summary>
    public void VanishTun(SimHost host, TimeSpan downtime)
    {
        var client = _clients.Find(c => c.Host == host);
        Network.Note($"{host.Name} tun device vanishes (EBADFD): its daemon exits, restarts in {downtime.TotalSeconds:0.0} s");
        host.Tun.Vanish();
        host.Tun.Readable = null;
        if (client is null)
        {
            ServerEngine?.Dispose();
            ServerEngine = null;
            _listening?.Dispose();
            _listening = null;
        }
        else
        {
            client.Engine?.Dispose();
            client.Engine = null;
            client.Grant = null;
        }
        // a restart of the host meanwhile (a fault of its own) already started the daemon again: then nothing is left to do
        Later(host, downtime, "daemon restarts on a new tun device", () =>
        {
            if (client is null && ServerEngine is null)
                RestartServer();
            else if (client is { Engine: null })
                RestartClient(client);
        });
    }

    /// <summary>
    /// Every write to <paramref name="host"/>'s tun fails with <paramref name="errno"/> (ENOBUFS or EAGAIN: its queue is full)
    /// for <paramref name="duration"/>: counted drops; the engine keeps running, sessions keep their keys, and traffic
    /// between clients (socket to socket on the server) is untouched.
    /// </summary>
    public void FailTunWrites(SimHost host, TimeSpan duration, string errno)
    {
        var tun = host.Tun;
        Network.Note($"{host.Name} tun writes fail with {errno} for {duration.TotalSeconds:0.0} s");
        tun.FailWrites(errno);
        Later(host, duration, "tun writes pass again", tun.WritesPass);
    }

    /// <summary>
    /// <paramref name="host"/>'s tun writer is stuck in write(2) for <paramref name="duration"/>: what the engine writes
    /// waits in a bounded queue (the excess counted as dropped) and is delivered when the writer moves again.
    /// </summary>
    public void StallTunWriter(SimHost host, TimeSpan duration)
    {
        var tun = host.Tun;
        Network.Note($"{host.Name} tun writer stalls for {duration.TotalSeconds:0.0} s");
        tun.StallWriter();
        Later(host, duration, "tun writer moves again", tun.ReleaseWriter);
    }

    /// <summary>Ends every tun fault still on (the healed phase).</summary>
    private void EndTunFaults()
    {
        foreach (var fault in _tunFaults.ToList())
            End(fault);
    }

    private void Later(SimHost host, TimeSpan duration, string what, Action end)
    {
        var fault = new TunFault(host, what, end);
        _tunFaults.Add(fault);
        Clock.Schedule(duration, () => End(fault));
    }

    private void End(TunFault fault)
    {
        if (!_tunFaults.Remove(fault))
            return;
        Network.Note($"{fault.Host.Name} {fault.What}");
        fault.End();
    }

    private sealed record TunFault(SimHost Host, string What, Action End);
}
