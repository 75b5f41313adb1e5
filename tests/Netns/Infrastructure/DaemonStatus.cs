using System.Text.RegularExpressions;
using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A running daemon's drop counters, read the way an operator reads them: SIGUSR1 makes it log one status
/// line ("status: … drops: DatagramTooShort=5, WrongSession=3" or "drops: none"), which is parsed here.
/// </summary>
internal static partial class DaemonStatus
{
    public const int SIGUSR1 = 10;

    /// <summary>Asks for a status line and returns its drops by reason (reasons never hit are absent).</summary>
    public static async Task<Dictionary<string, long>> Drops(RunningProcess daemon)
    {
        var seen = StatusLine().Matches(daemon.Output).Count;
        Signals.Send(daemon.Pid, SIGUSR1);
        Assert.True(await Eventually.Holds(() => StatusLine().Matches(daemon.Output).Count > seen, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)),
            $"{daemon.Label} logged no status line\n{daemon}");
        var text = StatusLine().Matches(daemon.Output)[seen].Groups[1].Value.Trim();
        var drops = new Dictionary<string, long>();
        if (text == "none")
            return drops;
        foreach (var part in text.Split(", "))
        {
            var (reason, count) = (part.Split('=')[0], part.Split('=')[1]);
            drops[reason] = long.Parse(count);
        }
        return drops;
    }

    /// <summary>What each reason counted between two readings.</summary>
    public static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));

    [GeneratedRegex(@"status: .*; drops: ([^\r\n]*)")]
    private static partial Regex StatusLine();
}
