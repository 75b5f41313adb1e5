namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>One UDP datagram seen on the wire.</summary>
internal sealed record CapturedDatagram(string Source, ushort SourcePort, string Destination, ushort DestinationPort, byte[] Payload);
