using System.Net.Sockets;
using System.Text;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// What systemd listens on for sd_notify messages: an AF_UNIX datagram socket bound at a path in a
/// private temp directory (or at an abstract name), whose name a test hands to the notifier as NOTIFY_SOCKET.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _directory;

    private NotifySocket(string name, string? directory)
    {
        Name = name;
        _directory = directory;
        _socket.Bind(new UnixDomainSocketEndPoint(name[0] == '@' ? "\0" + name[1..] : name));
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Name { get; }

    public static NotifySocket AtPath()
    {
        var directory = Directory.CreateTempSubdirectory("myvpn-notify-").FullName;
        return new NotifySocket(Path.Combine(directory, "notify"), directory);
    }

    public static NotifySocket Abstract() => new($"@myvpn-notify-test-{Guid.NewGuid():N}", null);

    /// <summary>The datagrams waiting now, each as text, without waiting for more.</summary>
    public List<string> Waiting()
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (_socket.Available > 0)
            messages.Add(Encoding.UTF8.GetString(buffer, 0, _socket.Receive(buffer)));
        return messages;
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
    }
}
