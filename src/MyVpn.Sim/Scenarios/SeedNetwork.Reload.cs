using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;

namespace MyVpn.Sim.Scenarios;

/// <summary>
/// Rekeys and reloads, as an operator or the schedule makes them: the server asks a client to rekey now; the
/// server's configuration changes (a client added, removed and restored, given a new key, other pushed settings)
/// and the daemon reloads it (<see cref="VpnServer.UpdateClients"/>, <see cref="VpnServer.UpdatePushed"/>), as
/// <c>ServerReloader</c> does on SIGHUP. A restarted server starts with the configuration as it is then.
/// </summary>
internal sealed partial class SeedNetwork
{
    /// <summary>The clients the configuration lists, removed ones included, in order (pc1 … pcN, then those added).</summary>
    private readonly List<ClientEntry> _configured = [];

    /// <summary>Clients taken out of the configuration until they are restored.</summary>
    private readonly HashSet<string> _removed = [];

    private int _added;

    /// <summary>Names of the clients the configuration lists now.</summary>
    public IEnumerable<string> ConfiguredClients => _configured.Select(c => c.Name).Where(n => !_removed.Contains(n));

    /// <summary>The server asks <paramref name="client"/> to rekey now (<see cref="VpnServer.RequestRekey"/>); false if it has no session to ask.</summary>
    public bool RequestRekey(SeedClient client)
    {
        if (Server.Paused || ServerEngine?.RequestRekey(client.Name) != true)
            return false;
        Rekeys.Asked(client.Name);
        Network.Note($"{Server.Name} asks {client.Name} to rekey");
        return true;
    }

    /// <summary><paramref name="client"/> handshakes again on its own (<see cref="Client.VpnClient.Rehandshake"/>); false if it has no session.</summary>
    public bool Rehandshake(SeedClient client)
    {
        if (client.Host.Paused || client.Engine is not { IsConnected: true } engine)
            return false;
        Rekeys.Asked(client.Name);
        Network.Note($"{client.Name} rekeys on its own");
        engine.Rehandshake();
        return true;
    }

    /// <summary>A client the scenario does not run is added to the configuration (harmless to everyone else).</summary>
    public void AddClientEntry()
    {
        var name = $"extra{++_added}";
        var key = new byte[32];
        Network.Random.Fork($"key:{name}").Fill(key);
        Network.Plaintext.AddSecret($"pre-shared key of {name}", key);
        _configured.Add(new ClientEntry(name, key));
        Reload($"{name} added", null);
    }

    /// <summary>
    /// <paramref name="client"/> is removed from the configuration (its session ends at the reload) and listed again
    /// after <paramref name="duration"/> or when the network heals.
    /// </summary>
    public void RemoveClient(SeedClient client, TimeSpan duration)
    {
        if (!_removed.Add(client.Name))
            return;
        client.RemovedWhileRunning = true;
        Reload($"{client.Name} removed for {duration.TotalSeconds:0.0} s", () =>
        {
            Reloads.Removed(client.Name);
            Rekeys.OnSessionEnded(client.Name);
        });
        Clock.Schedule(duration, () => RestoreClient(client));
    }

    /// <summary>
    /// <paramref name="client"/> is listed again (if it is still removed). Its engine gets back in on its own, unless
    /// it stopped at a refusal before its first session: then it is started again, as its operator would.
    /// </summary>
    public void RestoreClient(SeedClient client)
    {
        if (!_removed.Remove(client.Name))
            return;
        Reload($"{client.Name} restored", () => Reloads.Restored(client.Name));
        if (client.AuthenticationFailure is not null)
            RestartClient(client);
    }

    /// <summary>
    /// <paramref name="client"/> stopped at a refusal. If it is listed now but was not at some point while it ran,
    /// the refusal was the removal's, reaching it after its restore: its operator starts it again.
    /// </summary>
    private void OnRefused(SeedClient client, VpnClient engine)
    {
        if (!client.RemovedWhileRunning || _removed.Contains(client.Name))
            return;
        Clock.Schedule(TimeSpan.Zero, () =>
        {
            if (client.Engine != engine || _removed.Contains(client.Name))
                return;
            Network.Note($"{client.Name} stopped at a refusal it got for a removal that is over: its operator starts it again");
            RestartClient(client);
        });
    }

    private void RestoreRemovedClients()
    {
        foreach (var client in _clients.Where(c => _removed.Contains(c.Name)).ToList())
            RestoreClient(client);
    }

    /// <summary>
    /// <paramref name="client"/> gets a new key: in the server's configuration (the reload ends its session) and in
    /// its own, and it restarts with it.
    /// </summary>
    public void ChangeKey(SeedClient client)
    {
        var key = new byte[32];
        Network.Random.Fork($"key:{client.Name}@{Network.Now}").Fill(key);
        Network.Plaintext.AddSecret($"new pre-shared key of {client.Name}", key);
        var index = _configured.FindIndex(c => c.Name == client.Name);
        _configured[index] = _configured[index] with { Key = key };
        client.Options = ClientOptions(client.Name, key);
        Reload($"{client.Name} given a new key", () =>
        {
            Reloads.Rekeyed(client.Name);
            Rekeys.OnSessionEnded(client.Name);
        });
        RestartClient(client);
    }

    /// <summary>The configuration pushes <paramref name="pushed"/> from now on: sessions up get it at their next handshake.</summary>
    public void Push(PushedSettings pushed)
    {
        VpnServerOptions = ServerOptions(VpnServerOptions.Clients, pushed);
        Network.Note($"{Server.Name} reload: pushed settings now {Checkers.PushedSettingsChecker.Describe(pushed)}");
        var engine = ServerEngine;
        Server.RunOrDefer(() =>
        {
            if (engine is not null && engine == ServerEngine)
                engine.UpdatePushed(pushed);
            PushedSettings.Set(pushed);
        });
    }

    /// <summary>
    /// Writes the client list to the configuration and reloads it: at once, or when the server wakes if it is paused.
    /// <paramref name="applied"/> runs when the running engine has the new list (or a restart gave the next one it).
    /// </summary>
    private void Reload(string what, Action? applied)
    {
        var clients = _configured.Where(c => !_removed.Contains(c.Name)).ToList();
        VpnServerOptions = ServerOptions(clients, VpnServerOptions.Pushed);
        Network.Note($"{Server.Name} reload: {what}");
        var engine = ServerEngine;
        Server.RunOrDefer(() =>
        {
            if (engine is not null && engine == ServerEngine)
                Network.Note($"{Server.Name} {engine.UpdateClients(clients, null)}");
            applied?.Invoke();
        });
    }
}
