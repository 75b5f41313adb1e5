using System.Text.Json;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Tests.Unit.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// The resolver file the client rewrites when no systemd-resolved handles this namespace: what it
/// writes, and that the undo step journalled before (a file's content, a link, or nothing) puts back
/// exactly what was there, also after a round trip through the journal's JSON (the start after a crash).
/// </summary>
public sealed class ResolvConfFileTests
{
    private static readonly IPv4Address[] Servers = [IPv4Address.Parse("10.0.0.1"), IPv4Address.Parse("10.0.0.2")];

    [Fact]
    public void Pushed_servers_and_search_replace_the_old_ones_and_options_are_kept()
    {
        var old = "# from dhcp\nnameserver 192.0.2.53\nsearch home.example\noptions edns0 trust-ad\n";

        var written = ResolvConfFile.Compose("tun0", old, Servers, ["intranet.myvpn.test", "corp.example"]);

        Assert.Equal(
            "# written by myvpn for tun0: the pushed DNS; the previous file is put back when it stops\n"
            + "nameserver 10.0.0.1\nnameserver 10.0.0.2\nsearch intranet.myvpn.test corp.example\noptions edns0 trust-ad\n",
            written);
    }

    [Fact]
    public void Old_servers_stay_when_only_search_domains_are_pushed()
    {
        var written = ResolvConfFile.Compose("tun0", "nameserver 192.0.2.53\nsearch home.example\n", [], ["corp.example"]);

        Assert.Contains("nameserver 192.0.2.53\n", written);
        Assert.Contains("search corp.example\n", written);
        Assert.DoesNotContain("home.example", written);
    }

    [Fact]
    public void Undo_step_restores_the_old_file_content_after_a_journal_round_trip()
    {
        using var dir = new TempDirectory();
        var path = dir.File("resolv.conf", "nameserver 192.0.2.53\n# \"quoted\" and \\ kept\n");
        var saved = ResolvConfFile.Snapshot(path);
        var step = UndoStep.ForResolvConf(path, saved[0], saved[1]);
        ResolvConfFile.Write(path, ResolvConfFile.Compose("tun0", File.ReadAllText(path), Servers, []));
        Assert.Contains("nameserver 10.0.0.1", File.ReadAllText(path));

        var reread = RoundTrip(step);
        reread.Undo();

        Assert.Equal("nameserver 192.0.2.53\n# \"quoted\" and \\ kept\n", File.ReadAllText(path));
    }

    [Fact]
    public void Symbolic_link_is_replaced_by_a_file_and_made_again_on_undo()
    {
        using var dir = new TempDirectory();
        var target = dir.File("managed.conf", "nameserver 192.0.2.53\n");
        var path = Path.Combine(dir.Path, "resolv.conf");
        File.CreateSymbolicLink(path, target);
        var saved = ResolvConfFile.Snapshot(path);
        Assert.Equal(["symlink", target], saved);

        ResolvConfFile.Write(path, ResolvConfFile.Compose("tun0", File.ReadAllText(path), Servers, []));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("nameserver 192.0.2.53\n", File.ReadAllText(target));

        RoundTrip(UndoStep.ForResolvConf(path, saved[0], saved[1])).Undo();

        Assert.Equal(target, new FileInfo(path).LinkTarget);
    }

    [Fact]
    public void A_file_that_was_absent_is_removed_again()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "resolv.conf");
        var saved = ResolvConfFile.Snapshot(path);
        ResolvConfFile.Write(path, ResolvConfFile.Compose("tun0", null, Servers, []));

        UndoStep.ForResolvConf(path, saved[0], saved[1]).Undo();

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Resolved_is_used_only_where_resolv_conf_leads_into_its_run_directory()
    {
        using var dir = new TempDirectory();
        var plain = dir.File("plain.conf", "nameserver 192.0.2.53\n");
        var elsewhere = Path.Combine(dir.Path, "elsewhere.conf");
        File.CreateSymbolicLink(elsewhere, "/run/resolvconf/resolv.conf");

        Assert.False(ClientDns.UsesSystemdResolved(plain));
        Assert.False(ClientDns.UsesSystemdResolved(elsewhere));
    }

    [Fact]
    public void Resolvectl_arguments_route_every_name_through_the_tunnel_only_with_a_full_tunnel()
    {
        Assert.Equal(["dns", "tun0", "10.0.0.1", "10.0.0.2"], ClientDns.ResolvectlDns("tun0", Servers));
        Assert.Equal(["domain", "tun0", "corp.example"], ClientDns.ResolvectlDomain("tun0", ["corp.example"], fullTunnel: false));
        Assert.Equal(["domain", "tun0", "corp.example", "~."], ClientDns.ResolvectlDomain("tun0", ["corp.example"], fullTunnel: true));
        Assert.Equal(["domain", "tun0", ""], ClientDns.ResolvectlDomain("tun0", [], fullTunnel: false));
    }

    private static UndoStep RoundTrip(UndoStep step)
    {
        var json = JsonSerializer.Serialize(new UndoJournal.JournalFile(1, [step]), UndoJournalJson.Default.JournalFile);
        return Assert.Single(JsonSerializer.Deserialize(json, UndoJournalJson.Default.JournalFile)!.Steps);
    }
}
