using System.Net.Sockets;
using System.Text;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Stands in for systemd's notify socket: an AF_UNIX datagram socket bound at a path in a private temp
/// directory (a path, not an abstract name, so a daemon in another network namespace reaches it), read
/// on a background task. Every message is kept in arrival order; a test may run a check at the moment a
/// message arrives (to see the system as it was when the daemon said READY=1).
/// </summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string _directory = Directory.CreateTempSubdirectory("myvpn-notify-").FullName;
    private readonly List<string> _messages = [];
    private readonly Func<string, string?> _onMessage;
    private readonly Task _reader;

    /// <param name="onMessage">Called as each message arrives, on the reader; what it returns is kept beside the message.</param>
    public NotifyListener(Func<string, string?>? onMessage = null)
    {
        _onMessage = onMessage ?? (_ => null);
        Path = System.IO.Path.Combine(_directory, "notify");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _reader = Task.Run(Read);
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Path { get; }

    private readonly Dictionary<int, string> _observations = [];

    /// <summary>What <c>onMessage</c> said about the message at <paramref name="index"/>.</summary>
    public string? Observation(int index)
    {
        lock (_messages)
            return _observations.GetValueOrDefault(index);
    }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    /// <summary>The index of the first message that satisfies <paramref name="match"/>, once one has arrived; -1 if none did in time.</summary>
    public async Task<int> WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var index = -1;
        await Eventually.Holds(() => (index = Find(match)) >= 0, timeout, TimeSpan.FromMilliseconds(50));
        return index;
    }

    public int Find(Func<string, bool> match, int from = 0)
    {
        var messages = Messages;
        for (var i = from; i < messages.Count; i++)
            if (match(messages[i]))
                return i;
        return -1;
    }

    private async Task Read()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var message = Encoding.UTF8.GetString(buffer, 0, length);
            var observation = _onMessage(message);
            lock (_messages)
            {
                if (observation is not null)
                    _observations[_messages.Count] = observation;
                _messages.Add(message);
            }
        }
    }

    public override string ToString() => "--- notify messages ---\n" + string.Join("\n", Messages.Select(m => m.Replace("\n", " | ")));

    public void Dispose()
    {
        _socket.Dispose();
        _reader.Wait(TimeSpan.FromSeconds(5));
        Directory.Delete(_directory, recursive: true);
    }
}
