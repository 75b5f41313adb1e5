using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A TCP transfer between two namespaces with the suite's Python scripts: tcp_sink.py listens on
/// <c>address:port</c> in one, tcp_source.py sends random bytes from the other. Both print "size sha256"
/// of what they sent and received; the transfer asserts the two agree and returns that line.
/// </summary>
internal static class TcpTransfer
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Scripts", name);

    /// <param name="logs">What to show when it fails (the daemons' output), computed only then.</param>
    public static async Task<string> Run(string from, string to, string address, int port, long bytes, Func<string>? logs = null)
    {
        using var sink = RunningProcess.Start("sink", to, "python3", Script("tcp_sink.py"), address, port.ToString());
        Assert.True(await sink.WaitForOutput("listening", TimeSpan.FromSeconds(10)), sink.ToString());
        var source = Namespaces.Exec(from, "python3", Script("tcp_source.py"), address, port.ToString(), bytes.ToString());
        Assert.True(source.Succeeded, source + logs?.Invoke());
        Assert.True(await sink.WaitForExit(TimeSpan.FromSeconds(60)), sink.ToString());

        var sent = source.Output.Trim();
        Assert.StartsWith($"{bytes} ", sent);
        Assert.Equal(sent, sink.Output.Split('\n').Last().Trim());
        return sent;
    }
}
