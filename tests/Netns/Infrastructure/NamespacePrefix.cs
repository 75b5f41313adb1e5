using System.Text.RegularExpressions;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Names for a test run's namespaces: <c>mvt&lt;pid&gt;-&lt;n&gt;</c>, unique per run and per topology.
/// The first use removes namespaces of our family left by runs that died (their pid is gone).
/// </summary>
internal static partial class NamespacePrefix
{
    private static int _next;
    private static readonly Lazy<bool> LeftoversRemoved = new(RemoveLeftovers);

    public static string Next()
    {
        _ = LeftoversRemoved.Value;
        return $"mvt{Environment.ProcessId}-{Interlocked.Increment(ref _next)}";
    }

    private static bool RemoveLeftovers()
    {
        foreach (var name in Namespaces.List())
        {
            var match = OurFamily().Match(name);
            if (match.Success && int.Parse(match.Groups[1].Value) is var pid && pid != Environment.ProcessId && !Signals.IsAlive(pid))
                Namespaces.Delete(name);
        }
        return true;
    }

    [GeneratedRegex(@"^mvt(\d+)-")]
    private static partial Regex OurFamily();
}
