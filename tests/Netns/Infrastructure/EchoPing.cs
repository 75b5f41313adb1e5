namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Pings whose every byte is known in advance: <c>ping -e ID -s 12 -p PATTERN</c>. With a payload
/// shorter than a timeval ping puts no timestamp in it, so each echo's payload is exactly
/// <see cref="Payload"/> ("myvpn-secret"), and -e fixes the identifier (ping runs as root, on a raw socket).
/// </summary>
internal static class EchoPing
{
    public const string PayloadText = "myvpn-secret";
    public static readonly byte[] Payload = System.Text.Encoding.ASCII.GetBytes(PayloadText);

    /// <summary>Sends <paramref name="count"/> echo requests (sequence 1..count); true when every one was answered.</summary>
    public static bool Run(string ns, string target, ushort id, int count)
    {
        var result = Namespaces.Exec(ns, "ping", "-n", "-q", "-c", count.ToString(), "-i", "0.2", "-W", "2",
            "-e", id.ToString(), "-s", Payload.Length.ToString(), "-p", Convert.ToHexStringLower(Payload), target);
        return result.Succeeded && result.Output.Contains($"{count} received", StringComparison.Ordinal);
    }
}
