namespace MyVpn.Linux;

/// <summary>Adds and deletes <see cref="PolicyEntry"/> rules and table routes through <c>ip</c>.</summary>
internal static class PolicyRouting
{
    /// <summary>Adds the entry; false when an identical one is there already (then it is not ours to remove).</summary>
    public static bool TryAdd(PolicyEntry entry)
    {
        var result = SystemTool.Run("ip", entry.Command("add"));
        if (result.Succeeded)
            return true;
        if (result.Error.Contains("File exists", StringComparison.Ordinal))
            return false;
        throw new SetupException($"'ip {string.Join(' ', entry.Command("add"))}' failed: {result.Error}");
    }

    /// <summary>Deletes the entry; one already gone (a route through a device that is gone) is not an error.</summary>
    public static void Delete(PolicyEntry entry) => SystemTool.Run("ip", entry.Command("del"));

    /// <summary>Whether this kernel has IPv6 at all (booted with ipv6.disable=1 it has none, and nothing can leak over it).</summary>
    public static bool KernelHasIPv6 => Directory.Exists("/proc/sys/net/ipv6");
}
