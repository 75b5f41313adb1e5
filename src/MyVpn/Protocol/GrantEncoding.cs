using System.Buffers.Binary;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>The plaintext of ServerAccept: the session grant and both data keys (docs/protocol.md §2.4).</summary>
public static class GrantEncoding
{
    public static byte[] Encode(SessionGrant grant, ReadOnlySpan<byte> clientToServerKey, ReadOnlySpan<byte> serverToClientKey)
    {
        var bytes = new byte[HandshakeMessage.GrantLength];
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(s, grant.SessionId);
        grant.ClientAddress.Write(s[4..]);
        s[8] = (byte)grant.PrefixLength;
        grant.ServerAddress.Write(s[9..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[13..], grant.Port);
        BinaryPrimitives.WriteUInt16BigEndian(s[15..], (ushort)grant.Mtu);
        BinaryPrimitives.WriteUInt16BigEndian(s[17..], (ushort)grant.KeepaliveInterval.TotalSeconds);
        clientToServerKey.CopyTo(s[19..]);
        serverToClientKey.CopyTo(s[51..]);
        return bytes;
    }

    /// <summary>Reads and checks a grant: the prefix is /8../30, both addresses are hosts of that subnet, port and MTU are sane.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> s, out SessionGrant grant, out byte[] clientToServerKey, out byte[] serverToClientKey)
    {
        grant = null!;
        clientToServerKey = serverToClientKey = [];
        if (s.Length != HandshakeMessage.GrantLength)
            return false;
        var prefix = s[8];
        var client = IPv4Address.Read(s[4..]);
        var server = IPv4Address.Read(s[9..]);
        var port = BinaryPrimitives.ReadUInt16BigEndian(s[13..]);
        var mtu = BinaryPrimitives.ReadUInt16BigEndian(s[15..]);
        var keepalive = BinaryPrimitives.ReadUInt16BigEndian(s[17..]);
        if (prefix is < 8 or > 30 || port == 0 || mtu is < 576 or > 9000 || keepalive == 0)
            return false;
        var subnet = new IPv4Subnet(client, prefix);
        if (!subnet.Contains(server) || client == server || !IsHost(subnet, client) || !IsHost(subnet, server))
            return false;
        grant = new SessionGrant(BinaryPrimitives.ReadUInt32BigEndian(s), client, prefix, server, port, mtu,
            TimeSpan.FromSeconds(keepalive));
        clientToServerKey = s.Slice(19, WireFormat.KeyLength).ToArray();
        serverToClientKey = s.Slice(51, WireFormat.KeyLength).ToArray();
        return true;
    }

    private static bool IsHost(IPv4Subnet subnet, IPv4Address address) =>
        address != subnet.Network && address != subnet.Broadcast;
}
