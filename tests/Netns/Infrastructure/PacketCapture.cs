namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// tcpdump writing a pcap inside a namespace, from when it listens until <see cref="Stop"/>: in immediate
/// mode (else packets still buffered when it is stopped are lost) and as root (the file may be in a private directory).
/// </summary>
internal sealed class PacketCapture : IDisposable
{
    private readonly RunningProcess _tcpdump;

    private PacketCapture(RunningProcess tcpdump, string path)
    {
        _tcpdump = tcpdump;
        Path = path;
    }

    public string Path { get; }

    public static async Task<PacketCapture> Start(string ns, string device, string path, string filter)
    {
        var tcpdump = RunningProcess.Start($"tcpdump {ns} {device}", ns, "tcpdump", "-i", device, "--immediate-mode", "-Z", "root", "-U", "-n", "-w", path, filter);
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

    public void Dispose() => _tcpdump.Dispose();
}
