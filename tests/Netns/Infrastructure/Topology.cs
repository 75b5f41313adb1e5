namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// The test network, all in namespaces of one prefix (documentation address ranges only):
/// <code>
///   pc1 eth0 192.0.2.2 ─┐
///   pc2 eth0 192.0.2.3 ─┼─ wan: bridge br0, 192.0.2.254 (the pcs' default gateway, a dead end)
///   s1  eth0 192.0.2.1 ─┘
///   s1  eth1 203.0.113.1 ─── inet eth0 203.0.113.8 (stands in for 8.8.8.8; it knows only its own link)
/// </code>
/// Nothing is routed out of these namespaces. Dispose deletes them all, with whatever runs inside.
/// </summary>
internal sealed class Topology : IDisposable
{
    public const string ServerWan = "192.0.2.1";
    public const string Pc1Wan = "192.0.2.2";
    public const string Pc2Wan = "192.0.2.3";
    public const string WanGateway = "192.0.2.254";
    public const string ServerInternet = "203.0.113.1";
    public const string InternetHost = "203.0.113.8";

    private readonly List<string> _namespaces = [];

    private Topology(string prefix)
    {
        Wan = $"{prefix}-wan";
        Server = $"{prefix}-s1";
        Pc1 = $"{prefix}-pc1";
        Pc2 = $"{prefix}-pc2";
        Internet = $"{prefix}-inet";
    }

    public string Wan { get; }
    public string Server { get; }
    public string Pc1 { get; }
    public string Pc2 { get; }
    public string Internet { get; }

    public static Topology Create()
    {
        var topology = new Topology(NamespacePrefix.Next());
        try
        {
            topology.Build();
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    private void Build()
    {
        foreach (var ns in (string[])[Wan, Server, Pc1, Pc2, Internet])
        {
            Namespaces.Add(ns);
            _namespaces.Add(ns);
        }
        Ip(Wan, "link", "add", "br0", "type", "bridge");
        Ip(Wan, "addr", "add", $"{WanGateway}/24", "dev", "br0");
        Ip(Wan, "link", "set", "br0", "up");
        foreach (var (ns, port, address) in (ReadOnlySpan<(string, string, string)>)[(Server, "s1", ServerWan), (Pc1, "pc1", Pc1Wan), (Pc2, "pc2", Pc2Wan)])
        {
            Ip(Wan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Ip(Wan, "link", "set", port, "master", "br0", "up");
            Ip(ns, "addr", "add", $"{address}/24", "dev", "eth0");
            Ip(ns, "link", "set", "eth0", "up");
        }
        Ip(Pc1, "route", "add", "default", "via", WanGateway);
        Ip(Pc2, "route", "add", "default", "via", WanGateway);
        Ip(Server, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", Internet);
        Ip(Server, "addr", "add", $"{ServerInternet}/24", "dev", "eth1");
        Ip(Server, "link", "set", "eth1", "up");
        Ip(Internet, "addr", "add", $"{InternetHost}/24", "dev", "eth0");
        Ip(Internet, "link", "set", "eth0", "up");
    }

    private static void Ip(string ns, params string[] arguments) => Shell.Check("ip", ["-n", ns, .. arguments]);

    /// <summary>Pings from a namespace; true when every echo was answered.</summary>
    public static bool Ping(string ns, string target, int count = 1, string? pattern = null)
    {
        string[] options = pattern is null ? [] : ["-p", pattern];
        var result = Namespaces.Exec(ns, ["ping", "-n", "-q", "-c", count.ToString(), "-i", "0.2", "-W", "1", .. options, target]);
        return result.Succeeded && result.Output.Contains($"{count} received", StringComparison.Ordinal);
    }

    /// <summary>The routing decision in a namespace, e.g. "203.0.113.8 dev tun0 src 10.0.0.2 uid 0".</summary>
    public static string RouteTo(string ns, string destination) =>
        Shell.Check("ip", "-n", ns, "-4", "route", "get", destination).Split('\n')[0].Trim();

    public void Dispose()
    {
        for (var i = _namespaces.Count - 1; i >= 0; i--)
            Namespaces.Delete(_namespaces[i]);
        _namespaces.Clear();
    }
}
