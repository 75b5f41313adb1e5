namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// tcpdump writing a pcap inside a namespace, from when it listens until <see cref="Stop"/>: in immediate
/// mode (else packets still buffered when it is stopped are lost), with a kernel buffer large enough for
/// a burst of a few hundred full-size packets (the default 2 MiB loses some while tcpdump writes), and as
/// root (the file may be in a private directory).
/// </summary>
internal sealed class PacketCapture : IDisposable
{
    /// <summary>tcpdump's -B: the capture buffer, in KiB.</summary>
    private const int BufferKib = 32 * 1024;

    private readonly RunningProcess _tcpdump;

    private PacketCapture(RunningProcess tcpdump, string path)
    {
        _tcpdump = tcpdump;
        Path = path;
    }

    public string Path { get; }

    public static async Task<PacketCapture> Start(string ns, string device, string path, string filter)
    {
        var tcpdump = RunningProcess.Start($"tcpdump {ns} {device}", ns, "tcpdump", "-i", device, "--immediate-mode", "-B", BufferKib.ToString(), "-Z", "root", "-U", "-n", "-w", path, filter);
        var capture = new PacketCapture(tcpdump, path);
        if (!await tcpdump.WaitForOutput("listening on", TimeSpan.FromSeconds(10)))
        {
            capture.Dispose();
            throw new InvalidOperationException($"tcpdump did not start\n{tcpdump}");
        }
        return capture;
    }

    /// <summary>Stops tcpdump (SIGTERM flushes the file) and waits for it.</summary>
    public async Task Stop()
    {
        if (await _tcpdump.Terminate(TimeSpan.FromSeconds(10)) is null)
            throw new InvalidOperationException($"tcpdump did not stop\n{_tcpdump}");
    }

    /// <summary>
    /// What tcpdump said it lost ("N packets dropped by kernel"), once stopped: a capture that must hold
    /// every packet asserts this is 0, so a loss is reported as the capture's, not blamed on the tunnel.
    /// </summary>
    public int DroppedByKernel =>
        System.Text.RegularExpressions.Regex.Match(_tcpdump.Output, @"(\d+) packets? dropped by kernel") is { Success: true } match
            ? int.Parse(match.Groups[1].Value)
            : throw new InvalidOperationException($"tcpdump reported no drop count (not stopped yet?)\n{_tcpdump}");

    public override string ToString() => _tcpdump.ToString();

    public void Dispose() => _tcpdump.Dispose();
}
