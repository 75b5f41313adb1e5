using System.Globalization;
using MyVpn.Doctor;

namespace MyVpn.Linux.Doctor;

/// <summary>
/// The sockets of this network namespace bound to given ports (<c>/proc/net/{tcp,udp}[6]</c>), each with
/// the process that holds it: found by the <c>socket:[inode]</c> links under <c>/proc/PID/fd</c> (root
/// sees every process's).
/// </summary>
internal static class SocketOwners
{
    public static IReadOnlyList<BoundSocket> Bound(Func<BoundSocket, bool> wanted)
    {
        var sockets = new List<BoundSocket>();
        foreach (var (file, protocol) in (ReadOnlySpan<(string, SocketProtocol)>)
                 [("tcp", SocketProtocol.Tcp), ("tcp6", SocketProtocol.Tcp), ("udp", SocketProtocol.Udp), ("udp6", SocketProtocol.Udp)])
        {
            string text;
            try
            {
                text = File.ReadAllText($"/proc/net/{file}");
            }
            catch (IOException)
            {
                continue; // no IPv6 in this kernel
            }
            sockets.AddRange(ProcNetSockets.Parse(text, protocol).Where(wanted));
        }
        if (sockets.Count == 0)
            return sockets;
        var owners = Owners(sockets.Select(s => s.Inode).ToHashSet());
        return sockets
            .Select(s => owners.TryGetValue(s.Inode, out var owner) ? s with { OwnerPid = owner.Pid, OwnerName = owner.Name } : s)
            .ToList();
    }

    private static Dictionary<ulong, (int Pid, string Name)> Owners(HashSet<ulong> inodes)
    {
        var owners = new Dictionary<ulong, (int, string)>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                foreach (var fd in System.IO.Directory.EnumerateFileSystemEntries($"{directory}/fd"))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal)
                        || !ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                        || !inodes.Contains(inode))
                        continue;
                    owners.TryAdd(inode, (pid, File.ReadAllText($"{directory}/comm").Trim()));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended, or it is not ours to look at
            }
        }
        return owners;
    }
}
