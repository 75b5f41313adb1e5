using System.Net.Sockets;

namespace MyVpn.Linux;

/// <summary>
/// The one socket option MyVpn's TCP listeners share. SO_REUSEADDR alone lets a restarted daemon bind
/// its port while connections of the run before linger in TIME_WAIT. .NET's
/// <see cref="SocketOptionName.ReuseAddress"/> is not used: on Linux it sets SO_REUSEPORT as well, which
/// lets a second process bind the same port and take a share of its connections.
/// </summary>
internal static class ListeningSocket
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    public static void ReuseAddressOnly(Socket socket) =>
        socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));

    /// <summary>What to do about a refused bind, after its message ("" when there is nothing to add).</summary>
    public static string Advice(SocketException e, string option) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => $" (another program holds it: 'ss -ltnp' names it; stop it, or give {option} another port)",
        SocketError.AddressNotAvailable => $" (no interface of this host has that address: give {option} one of its addresses, or 0.0.0.0)",
        SocketError.AccessDenied => " (a port below 1024 needs root or CAP_NET_BIND_SERVICE)",
        _ => "",
    };
}
