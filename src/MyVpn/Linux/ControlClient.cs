using System.Net.Sockets;
using System.Text;

namespace MyVpn.Linux;

/// <summary>
/// The command-line side of the <see cref="ControlSocket"/>: sends one request line to the daemon on a tun
/// device in the caller's network namespace and returns its whole reply. Every failure to reach the daemon is
/// a <see cref="SetupException"/> whose one line says what to do.
/// </summary>
internal static class ControlClient
{
    /// <summary>How long the daemon may take to answer.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Asks the daemon on <paramref name="tunName"/>; <paramref name="request"/> is the line without its newline.</summary>
    public static string Request(string tunName, string request) => Request(ControlSocket.PathFor(tunName), tunName, request);

    /// <summary>Asks the daemon listening at <paramref name="path"/> (serving <paramref name="tunName"/>, for the messages).</summary>
    public static string Request(string path, string tunName, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = socket.SendTimeout = (int)ReplyTimeout.TotalMilliseconds;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new SetupException($"cannot reach the control socket {path}: permission denied (it is root's); run it as root (sudo)", e);
        }
        catch (SocketException e)
        {
            throw new SetupException($"no MyVpn daemon on {tunName} in this network namespace (is it running? it must be run as root)", e);
        }
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(request + "\n"));
            var reply = new MemoryStream();
            var buffer = new byte[16384];
            int read;
            while ((read = socket.Receive(buffer)) > 0)
                reply.Write(buffer, 0, read);
            return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
        }
        catch (SocketException e)
        {
            throw new SetupException($"the MyVpn daemon on {tunName} did not answer '{request}': {e.Message}", e);
        }
    }
}
