namespace MyVpn.Captures;

/// <summary>Whether a captured packet is a UDP datagram or a TCP segment.</summary>
public enum CapturedTransport { Udp, Tcp }
