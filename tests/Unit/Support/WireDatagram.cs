using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>A datagram as it crossed the channel network.</summary>
public sealed record WireDatagram(NetEndpoint From, NetEndpoint To, byte[] Bytes, bool Tcp = false);
