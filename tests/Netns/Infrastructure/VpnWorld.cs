namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A <see cref="Topology"/> with keys and a server config in a private directory, and the myvpn
/// daemons started in it. Dispose stops the daemons (SIGTERM, then SIGKILL), deletes the namespaces
/// and the directory, whatever state a failed test left.
/// </summary>
internal sealed class VpnWorld : IDisposable
{
    /// <summary>Short keepalives so a dead server is noticed in seconds (the server pushes this to clients).</summary>
    public const string Keepalive = "2";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<RunningProcess> _processes = [];

    private VpnWorld(Topology net, string directory)
    {
        Net = net;
        Directory = directory;
    }

    public Topology Net { get; }

    /// <summary>Holds pc1.key, pc2.key, psk.key (the single-key form) and server.toml.</summary>
    public string Directory { get; }

    public string ServerConfig => Path.Combine(Directory, "server.toml");

    /// <summary>Where a server started with --keylog writes its session keys.</summary>
    public string KeyLogPath => Path.Combine(Directory, "keys.log");

    public string KeyOf(string name) => Path.Combine(Directory, $"{name}.key");

    public static VpnWorld Create()
    {
        var net = Topology.Create();
        var directory = System.IO.Directory.CreateTempSubdirectory($"{net.Server}-").FullName;
        var world = new VpnWorld(net, directory);
        try
        {
            foreach (var name in (string[])["pc1", "pc2", "psk"])
            {
                var result = MyVpnBinary.Run("genkey", "-o", world.KeyOf(name));
                if (!result.Succeeded)
                    throw new InvalidOperationException($"myvpn genkey failed: {result}");
            }
            File.WriteAllText(world.ServerConfig, """
                # Written by the netns tests: two clients with fixed addresses.
                keepalive = 2
                masquerade = "eth1"

                [[clients]]
                name = "pc1"
                key_file = "pc1.key"
                address = "10.0.0.2"

                [[clients]]
                name = "pc2"
                key_file = "pc2.key"
                address = "10.0.0.3"
                """);
            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    /// <summary>Starts the server from server.toml (pc1 and pc2 known) and waits until it listens.</summary>
    public Task<RunningProcess> StartServer() => StartServer(["--config", ServerConfig]);

    public async Task<RunningProcess> StartServer(string[] arguments)
    {
        var server = Track(MyVpnBinary.Start("server", Net.Server, ["server", .. arguments]));
        if (!await server.WaitForOutput("server up", StartTimeout))
            throw new InvalidOperationException($"the server did not come up\n{server}");
        return server;
    }

    /// <summary>Starts a client in <paramref name="ns"/> and waits for its tunnel (and full-tunnel routes) to be up.</summary>
    public async Task<RunningProcess> StartClient(string ns, string label, params string[] arguments)
    {
        var client = StartClientNoWait(ns, label, arguments);
        var ready = arguments.Contains("--default-route") ? "all traffic now goes through" : "tunnel up";
        if (!await client.WaitForOutput(ready, StartTimeout))
            throw new InvalidOperationException($"{label} did not connect\n{client}\n{Logs()}");
        return client;
    }

    public RunningProcess StartClientNoWait(string ns, string label, params string[] arguments) =>
        Track(MyVpnBinary.Start(label, ns, ["client", "--server", $"{Topology.ServerWan}:9525", .. arguments]));

    /// <summary>Starts a daemon (<c>server …</c> or <c>client …</c>) in <paramref name="ns"/> with <paramref name="environment"/> added, without waiting for it.</summary>
    public RunningProcess StartDaemon(string label, string ns, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Track(MyVpnBinary.Start(label, ns, environment, arguments));

    /// <summary>Every daemon's output, for failure messages.</summary>
    public string Logs() => string.Join('\n', _processes.Select(p => p.ToString()));

    /// <summary>Stops <paramref name="process"/> with the others at the end (for daemons started another way).</summary>
    public RunningProcess Track(RunningProcess process)
    {
        lock (_processes)
            _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
            process.Dispose();
        Net.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
