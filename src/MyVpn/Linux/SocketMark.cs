using System.Net.Sockets;

namespace MyVpn.Linux;

/// <summary>
/// Marks a socket's packets with a firewall mark (SO_MARK, needs CAP_NET_ADMIN). A full-tunnel client
/// marks its own UDP and TCP sockets so that the policy rule sending everything else into the tunnel
/// lets them through to the main routing table (see <see cref="FullTunnelRouting"/>).
/// </summary>
internal static class SocketMark
{
    private const int SolSocket = 1;
    private const int SoMark = 36;

    /// <summary>Sets the mark; 0 leaves the socket unmarked.</summary>
    public static void Apply(Socket socket, uint mark)
    {
        if (mark == 0)
            return;
        try
        {
            socket.SetRawSocketOption(SolSocket, SoMark, BitConverter.GetBytes(mark));
        }
        catch (SocketException e)
        {
            throw new SetupException($"cannot mark a socket with fwmark {mark} (SO_MARK needs CAP_NET_ADMIN): {e.Message}", e);
        }
    }
}
