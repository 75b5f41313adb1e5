using System.Net.Sockets;

namespace MyVpn.Linux;

/// <summary>The mapping from a failed socket call on a handshake connection to how the connection ended.</summary>
internal static class TcpStreamEnds
{
    public static TcpStreamEnd From(SocketError error) => error switch
    {
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => TcpStreamEnd.Reset,
        SocketError.ConnectionRefused => TcpStreamEnd.Refused,
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown =>
            TcpStreamEnd.Unreachable,
        SocketError.TimedOut => TcpStreamEnd.TimedOut,
        SocketError.OperationAborted or SocketError.Interrupted => TcpStreamEnd.Closed,
        _ => TcpStreamEnd.Failed,
    };

    /// <summary>One line for the log: what happened and the kernel's name for it.</summary>
    public static string Describe(SocketError error) => From(error) switch
    {
        TcpStreamEnd.Reset => $"reset by the peer or the path ({ErrnoName(error)})",
        TcpStreamEnd.Refused => $"refused: nothing listens on that port ({ErrnoName(error)})",
        TcpStreamEnd.Unreachable => $"no route to the server ({ErrnoName(error)})",
        TcpStreamEnd.TimedOut => $"timed out in the kernel ({ErrnoName(error)})",
        TcpStreamEnd.Closed => "closed",
        _ => $"failed: {error}",
    };

    /// <summary>The errno behind a <see cref="SocketError"/> as .NET maps it on Linux (EPIPE surfaces as <see cref="SocketError.Shutdown"/>).</summary>
    public static string ErrnoName(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "ECONNRESET",
        SocketError.ConnectionAborted => "ECONNABORTED",
        SocketError.Shutdown => "EPIPE",
        SocketError.ConnectionRefused => "ECONNREFUSED",
        SocketError.HostUnreachable => "EHOSTUNREACH",
        SocketError.NetworkUnreachable => "ENETUNREACH",
        SocketError.HostDown => "EHOSTDOWN",
        SocketError.NetworkDown => "ENETDOWN",
        SocketError.TimedOut => "ETIMEDOUT",
        _ => error.ToString(),
    };
}
