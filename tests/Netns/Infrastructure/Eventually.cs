using System.Diagnostics;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: waits on the system, never a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<bool> Holds(Func<bool> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
                return true;
            if (clock.Elapsed > timeout)
                return false;
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
        }
    }
}
