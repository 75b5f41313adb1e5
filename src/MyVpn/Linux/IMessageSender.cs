namespace MyVpn.Linux;

/// <summary>
/// The system call behind <see cref="UdpSendLoop"/>: <c>sendmmsg</c> over prepared messages on a real socket, a
/// script in the tests. A struct (or ref struct) so the loop is specialised for it and nothing is allocated.
/// </summary>
internal interface IMessageSender
{
    /// <summary>
    /// Sends messages <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1: returns
    /// how many went (the first ones; fewer than asked when one failed after the first), or -1 with
    /// <paramref name="errno"/> when the first failed.
    /// </summary>
    int Send(int first, int count, out int errno);

    /// <summary>How many datagrams message <paramref name="message"/> carries (1, or a GSO run's length).</summary>
    int Datagrams(int message);

    /// <summary>
    /// Message <paramref name="message"/> was refused with <paramref name="errno"/>: true when it was sent another way
    /// (a GSO run again datagram by datagram), what that did added to <paramref name="result"/>; false to drop it.
    /// </summary>
    bool SendOtherwise(int message, int errno, ref Io.SendResult result);
}
