using System.Text.Json;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>The kernel's IPv4 routing table, through <c>ip -4 route</c>.</summary>
internal static class Routes
{
    /// <summary>The path the kernel would take to <paramref name="destination"/> now (for packets marked <paramref name="mark"/>, 0: unmarked): its gateway (if any) and device.</summary>
    public static KernelRoute Lookup(IPv4Address destination, uint mark = 0)
    {
        string[] marked = mark == 0 ? [] : ["mark", mark.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var json = SystemTool.RunChecked("ip", ["-j", "-4", "route", "get", destination.ToString(), .. marked]);
        using var document = JsonDocument.Parse(json);
        var entry = document.RootElement[0];
        var device = entry.GetProperty("dev").GetString()!;
        IPv4Address? gateway = entry.TryGetProperty("gateway", out var via) ? IPv4Address.Parse(via.GetString()!) : null;
        return new KernelRoute($"{destination}/32", gateway, device);
    }

    /// <summary>Adds the route; false if an identical destination is already routed (then it is not ours to remove).</summary>
    public static bool TryAdd(KernelRoute route)
    {
        var result = SystemTool.Run("ip", ["-4", "route", "add", .. route.Arguments]);
        if (result.Succeeded)
            return true;
        if (result.Error.Contains("File exists", StringComparison.Ordinal))
            return false;
        throw new SetupException($"'ip route add {route}' failed: {result.Error}");
    }
}
