using MyVpn.Net;
using SharpPcap;

namespace MyVpn.Captures;

/// <summary>One UDP datagram or TCP segment from a capture: its time, endpoints and payload.</summary>
public sealed record CapturedPacket(int Number, PosixTimeval Time, CapturedTransport Transport, NetEndpoint Source, NetEndpoint Destination,
    byte[] Payload, uint TcpSequence = 0);
