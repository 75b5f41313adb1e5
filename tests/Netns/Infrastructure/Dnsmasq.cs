namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A dnsmasq in a namespace that answers only the names it is given (no upstream, no /etc/hosts),
/// listening on one address. It runs in the foreground under the test, which stops it by pid.
/// </summary>
internal sealed class Dnsmasq : IDisposable
{
    private readonly RunningProcess _process;

    private Dnsmasq(RunningProcess process) => _process = process;

    /// <param name="records">name → address, e.g. ("intranet.myvpn.test", "203.0.113.8").</param>
    public static async Task<Dnsmasq> Start(string ns, string listen, string directory, params (string Name, string Address)[] records)
    {
        string[] arguments =
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
            $"--listen-address={listen}", $"--pid-file={Path.Combine(directory, "dnsmasq.pid")}", "--user=root", "--group=root",
            "--log-facility=-", "--log-queries",
            .. records.Select(r => $"--host-record={r.Name},{r.Address}"),
        ];
        var process = RunningProcess.Start("dnsmasq", ns, "dnsmasq", arguments);
        var dnsmasq = new Dnsmasq(process);
        if (!await process.WaitForOutput("started", TimeSpan.FromSeconds(10)) || process.HasExited)
        {
            dnsmasq.Dispose();
            throw new InvalidOperationException($"dnsmasq did not start\n{process}");
        }
        return dnsmasq;
    }

    /// <summary>What dnsmasq logged: one line per query it answered.</summary>
    public string Log => _process.Output;

    public void Dispose() => _process.Dispose();
}
