using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using MyVpn.Server;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// Reloads the running server's configuration: SIGHUP and the control socket's <c>reload</c> command both
/// call <see cref="Reload"/>. It re-reads the config file given at start (or, started with flags only, the
/// key file) with the flags given at start still on top, validates it with the same code as start-up, and
/// only then applies it: the client list and the shared key go to the engine
/// (<see cref="VpnServer.UpdateClients"/>), the pushed routes and DNS too (<see cref="VpnServer.UpdatePushed"/>:
/// each session gets them at its next rekey); every other setting that changed is logged as needing a restart
/// and otherwise ignored. A config that does not load is refused and the server keeps the one it runs.
/// </summary>
internal sealed partial class ServerReloader(ServerConfig running, Func<ServerConfig> resolve, VpnServer server, string source, ILogger logger)
{
    private readonly Lock _gate = new();
    private ServerConfig _running = running;

    /// <summary>The configuration in force: the settings of the start, the clients and shared key of the last reload.</summary>
    public ServerConfig Running
    {
        get
        {
            lock (_gate)
                return _running;
        }
    }

    /// <summary>Reloads; returns the reply text: <c>ok</c> and what changed, or <c>error: </c> and why nothing did.</summary>
    public string Reload()
    {
        lock (_gate)
        {
            LogReloading(logger, source);
            ServerConfig next;
            try
            {
                next = resolve();
                CheckFitsRunning(next);
            }
            catch (ConfigException e)
            {
                LogRefused(logger, e.Message);
                return $"error: {e.Message}";
            }
            var restart = NeedsRestart(_running, next).ToList();
            foreach (var key in restart)
                LogNeedsRestart(logger, key, source);
            var merged = KeepKnownKeys(next);
            ClientChanges changes;
            try
            {
                changes = server.UpdateClients(merged.Clients, merged.SharedKey);
            }
            catch (ObjectDisposedException)
            {
                merged.WipeKeys();
                return "error: the server is stopping";
            }
            WipeKeysNotIn(_running, merged);
            var pushedChanged = !_running.Pushed.Equals(next.Pushed);
            if (pushedChanged)
                server.UpdatePushed(next.Pushed);
            _running = _running with { Clients = merged.Clients, SharedKey = merged.SharedKey, Pushed = next.Pushed };
            var reply = $"ok\n{changes}" + (pushedChanged ? $"\npushed from now on (each session at its next rekey): {next.Pushed}" : "");
            return restart.Count == 0 ? reply : $"{reply}\nneeds a restart (not applied): {string.Join(", ", restart)}";
        }
    }

    /// <summary>A fixed address must fit the subnet the server runs with, whatever the file now says about the subnet.</summary>
    private void CheckFitsRunning(ServerConfig next)
    {
        foreach (var client in next.Clients)
        {
            if (client.StaticAddress is not { } address)
                continue;
            var subnet = _running.Subnet;
            if (!subnet.Contains(address) || address == subnet.Network || address == subnet.Broadcast || address == _running.ServerAddress)
                throw new ConfigException($"{source}: client '{client.Name}': address {address} is not a client address in the running subnet {subnet} (changing the subnet needs a restart)");
        }
    }

    /// <summary>The settings that only a restart applies, by their config key, that differ between the two.</summary>
    internal static IEnumerable<string> NeedsRestart(ServerConfig running, ServerConfig next)
    {
        if (running.Listen != next.Listen) yield return "listen";
        if (running.Subnet != next.Subnet) yield return "subnet";
        if (running.Subnet6 != next.Subnet6) yield return "subnet6";
        if (running.ServerAddress != next.ServerAddress) yield return "address";
        if (running.FirstPort != next.FirstPort || running.LastPort != next.LastPort) yield return "ports";
        if (running.Tun != next.Tun) yield return "tun";
        if (running.Masquerade != next.Masquerade) yield return "masquerade";
        if (running.Mtu != next.Mtu) yield return "mtu";
        if (running.Keepalive != next.Keepalive) yield return "keepalive";
        if (running.EffectiveRekeyInterval != next.EffectiveRekeyInterval) yield return "rekey_interval";
        if (running.LogLevel != next.LogLevel) yield return "log_level";
        if (running.Offload != next.Offload) yield return "offload";
        if (running.Threads != next.Threads) yield return "threads";
        if (running.MaxSessions != next.MaxSessions) yield return "max_sessions";
        if (!running.Block.SequenceEqual(next.Block) || !running.Block6.SequenceEqual(next.Block6)) yield return "block";
        if (!running.Allow.SequenceEqual(next.Allow) || !running.Allow6.SequenceEqual(next.Allow6)) yield return "allow";
        if (running.ClientToClient != next.ClientToClient) yield return "client_to_client";
        if (running.MetricsListen != next.MetricsListen) yield return "metrics_listen";
        if (running.SinglePort != next.SinglePort) yield return "single_port";
    }

    /// <summary>
    /// The new config with the running key arrays wherever a key is unchanged (the fresh copies wiped), so a
    /// handshake holding the running array is not disturbed by the wipe of what the reload replaced.
    /// </summary>
    private ServerConfig KeepKnownKeys(ServerConfig next)
    {
        var known = _running.Clients.Select(c => c.Key).Append(_running.SharedKey).OfType<byte[]>().ToList();
        byte[] Known(byte[] key)
        {
            if (known.Find(k => CryptographicOperations.FixedTimeEquals(k, key)) is not { } same)
                return key;
            CryptographicOperations.ZeroMemory(key);
            return same;
        }
        return next with
        {
            Clients = [.. next.Clients.Select(c => c with { Key = Known(c.Key) })],
            SharedKey = next.SharedKey is null ? null : Known(next.SharedKey),
        };
    }

    /// <summary>Wipes the keys of <paramref name="old"/> that <paramref name="kept"/> no longer holds.</summary>
    private static void WipeKeysNotIn(ServerConfig old, ServerConfig kept)
    {
        var keep = kept.Clients.Select(c => c.Key).Append(kept.SharedKey).OfType<byte[]>().ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var key in old.Clients.Select(c => c.Key).Append(old.SharedKey).OfType<byte[]>())
            if (!keep.Contains(key))
                CryptographicOperations.ZeroMemory(key);
    }

    [LoggerMessage(EventId = 180, Level = LogLevel.Information, Message = "reloading: reading {Source}")]
    private static partial void LogReloading(ILogger logger, string source);

    [LoggerMessage(EventId = 181, Level = LogLevel.Warning, Message = "reload refused, still running on the previous configuration: {Error}")]
    private static partial void LogRefused(ILogger logger, string error);

    [LoggerMessage(EventId = 182, Level = LogLevel.Warning,
        Message = "needs a restart: {Key} (changed in {Source}; the running value stays until the daemon restarts)")]
    private static partial void LogNeedsRestart(ILogger logger, string key, string source);
}
