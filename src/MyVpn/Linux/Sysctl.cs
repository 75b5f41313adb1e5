namespace MyVpn.Linux;

/// <summary>Kernel settings under /proc/sys (per network namespace for net.*).</summary>
internal static class Sysctl
{
    public const string IPv4Forwarding = "/proc/sys/net/ipv4/ip_forward";

    /// <summary>IPv6 forwarding on every interface (the kernel forwards IPv6 only when this one is on).</summary>
    public const string IPv6Forwarding = "/proc/sys/net/ipv6/conf/all/forwarding";

    public static string Read(string path) => File.ReadAllText(path).Trim();

    public static void Write(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"cannot write {value} to {path}: {e.Message}", e);
        }
    }

    /// <summary>For settings that are nice to have: a failure is ignored.</summary>
    public static void TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
