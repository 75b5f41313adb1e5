using System.Globalization;
using System.Text;

namespace MyVpn.Cli.Status;

/// <summary>
/// The human form of a <see cref="StatusReport"/>: a few lines about the daemon, then one aligned row per
/// session (as <c>wg show</c> lists peers). Bytes in binary units, times as ages; <c>--json</c> has the exact values.
/// </summary>
internal static class StatusTable
{
    private static readonly string[] Header = ["NAME", "ADDRESS", "ENDPOINT", "PORT", "HANDSHAKE", "RX PACKETS", "RX BYTES", "TX PACKETS", "TX BYTES", "DROPS"];

    public static string Render(StatusReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"interface: {report.Interface} ({report.Role}, pid {report.Pid})\n");
        if (report.Role == "server")
        {
            text.Append(CultureInfo.InvariantCulture, $"  address: {report.Address} in {report.Subnet}\n");
            text.Append(CultureInfo.InvariantCulture, $"  handshakes: TCP {report.Listen}, session ports UDP {report.Ports}\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  name: {report.Name}, server: {report.Server}\n");
            text.Append(report.Connected == true
                ? $"  address: {report.Address} in {report.Subnet}\n"
                : "  not connected (handshaking)\n");
        }
        var traffic = report.Traffic;
        text.Append(CultureInfo.InvariantCulture,
            $"  traffic: {Bytes(traffic.RxBytes)} received ({traffic.RxPackets} packets), {Bytes(traffic.TxBytes)} sent ({traffic.TxPackets} packets)\n");
        text.Append(CultureInfo.InvariantCulture, $"  drops: {Drops(report.Drops, "none")}\n");
        if (report.Sessions.Count == 0)
        {
            if (report.Role == "server")
                text.Append("\nno sessions\n");
            return text.ToString();
        }

        var rows = new List<string[]> { Header };
        rows.AddRange(report.Sessions.Select(s => new[]
        {
            s.Name, s.Address, s.Endpoint ?? "(none yet)", s.Port.ToString(CultureInfo.InvariantCulture), Age(s.SecondsSinceHandshake),
            s.Traffic.RxPackets.ToString(CultureInfo.InvariantCulture), Bytes(s.Traffic.RxBytes),
            s.Traffic.TxPackets.ToString(CultureInfo.InvariantCulture), Bytes(s.Traffic.TxBytes), Drops(s.Drops, "-"),
        }));
        var widths = Enumerable.Range(0, Header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        text.Append('\n');
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                // names and addresses to the left, numbers to the right
                var cell = i is >= 5 and <= 8 ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]);
                line.Append(cell).Append(i < row.Length - 1 ? "  " : "");
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The reasons with a count, <c>Replayed=3, WrongSession=1</c>; <paramref name="none"/> if there are none.</summary>
    private static string Drops(IReadOnlyDictionary<string, long> drops, string none)
    {
        var counted = drops.Where(d => d.Value > 0).Select(d => $"{d.Key}={d.Value}").ToList();
        return counted.Count == 0 ? none : string.Join(", ", counted);
    }

    /// <summary>An age: <c>12s ago</c>, <c>4m07s ago</c>, <c>2h03m ago</c>.</summary>
    public static string Age(long seconds) => seconds switch
    {
        < 60 => $"{seconds}s ago",
        < 3600 => $"{seconds / 60}m{seconds % 60:00}s ago",
        _ => $"{seconds / 3600}h{seconds % 3600 / 60:00}m ago",
    };

    /// <summary>A byte count: <c>912 B</c>, <c>9.8 KiB</c>, <c>1.25 GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }
}
