using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Applies the DNS servers and search domains a server pushes, journalled so that a clean exit and the
/// start after a crash both put the old resolver back. Where this namespace's /etc/resolv.conf is
/// systemd-resolved's (a link into /run/systemd/resolve) and resolvectl is there, through resolvectl on
/// the tun device (with <c>~.</c> for a full tunnel, so no query leaves outside it), reverted with
/// <c>resolvectl revert</c>; otherwise by rewriting /etc/resolv.conf, whose old content (or link) is saved
/// in the journal first.
/// </summary>
internal sealed class ClientDns(string tun, UndoJournal journal, string resolvConf = ResolvConfFile.Path)
{
    private UndoStep? _undo;
    private string? _original;

    /// <summary>How the settings were applied ("systemd-resolved" or the file's path), or null when nothing is applied.</summary>
    public string? Method { get; private set; }

    /// <summary>Applies <paramref name="servers"/> and <paramref name="search"/>; both empty reverts what was applied.</summary>
    public void Apply(IReadOnlyList<IPv4Address> servers, IReadOnlyList<string> search, bool fullTunnel)
    {
        if (servers.Count == 0 && search.Count == 0)
        {
            Revert();
            return;
        }
        if (Method is null)
            Method = UsesSystemdResolved(resolvConf) ? "systemd-resolved" : resolvConf;
        if (Method == "systemd-resolved")
            ApplyThroughResolved(servers, search, fullTunnel);
        else
            ApplyToFile(servers, search);
    }

    /// <summary>Puts the old resolver back now (the journal would at exit).</summary>
    public void Revert()
    {
        if (_undo is null)
            return;
        _undo.Undo();
        journal.Forget(_undo);
        _undo = null;
        Method = null;
    }

    private void ApplyThroughResolved(IReadOnlyList<IPv4Address> servers, IReadOnlyList<string> search, bool fullTunnel)
    {
        Remember(UndoStep.ForResolvedLink(tun));
        SystemTool.RunChecked("resolvectl", ResolvectlDns(tun, servers));
        SystemTool.RunChecked("resolvectl", ResolvectlDomain(tun, search, fullTunnel));
    }

    private void ApplyToFile(IReadOnlyList<IPv4Address> servers, IReadOnlyList<string> search)
    {
        if (_undo is null)
        {
            var saved = ResolvConfFile.Snapshot(resolvConf);
            _original = File.Exists(resolvConf) ? File.ReadAllText(resolvConf) : null; // through a link too
            Remember(UndoStep.ForResolvConf(resolvConf, saved[0], saved[1]));
        }
        ResolvConfFile.Write(resolvConf, ResolvConfFile.Compose(tun, _original, servers, search));
    }

    private void Remember(UndoStep step)
    {
        if (_undo is not null)
            return;
        journal.Record(step);
        _undo = step;
    }

    /// <summary><c>resolvectl dns TUN SERVER…</c> (no servers: the empty argument, which clears the link's).</summary>
    public static string[] ResolvectlDns(string tun, IReadOnlyList<IPv4Address> servers) =>
        servers.Count == 0 ? ["dns", tun, ""] : ["dns", tun, .. servers.Select(s => s.ToString())];

    /// <summary>
    /// <c>resolvectl domain TUN DOMAIN… [~.]</c>: with a full tunnel, <c>~.</c> makes the link the route for
    /// every name, so no query leaves outside the tunnel (no domains: the empty argument, which clears them).
    /// </summary>
    public static string[] ResolvectlDomain(string tun, IReadOnlyList<string> search, bool fullTunnel)
    {
        string[] domains = [.. search, .. (fullTunnel ? ["~."] : Array.Empty<string>())];
        return domains.Length == 0 ? ["domain", tun, ""] : ["domain", tun, .. domains];
    }

    /// <summary>True when the resolver file leads into systemd-resolved's files and resolvectl can be run.</summary>
    public static bool UsesSystemdResolved(string resolvConf)
    {
        var target = new FileInfo(resolvConf).LinkTarget;
        if (target is null)
            return false;
        var full = System.IO.Path.GetFullPath(target, System.IO.Path.GetDirectoryName(resolvConf)!);
        if (!full.StartsWith("/run/systemd/resolve/", StringComparison.Ordinal))
            return false;
        try
        {
            return SystemTool.Run("resolvectl", ["--version"]).Succeeded;
        }
        catch (SetupException)
        {
            return false;
        }
    }
}
