namespace MyVpn.Sim;

/// <summary>What crossed the simulated wire: a UDP datagram, a handshake-stream segment or a forwarded IP packet.</summary>
internal enum WireKind
{
    Udp,
    Tcp,
    Ip,
}
