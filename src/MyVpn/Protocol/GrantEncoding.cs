using System.Buffers.Binary;
using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The plaintext of ServerAccept (docs/protocol.md §2.4): the session grant, both data keys, and, when
/// the server pushes routes or DNS, the grant extension after them (<see cref="GrantExtension"/>).
/// </summary>
public static class GrantEncoding
{
    public static byte[] Encode(SessionGrant grant, ReadOnlySpan<byte> clientToServerKey, ReadOnlySpan<byte> serverToClientKey)
    {
        var pushed = grant.Pushed;
        var bytes = new byte[HandshakeMessage.GrantLength + (grant.HasExtension ? GrantExtension.LengthOf(pushed, grant.Ipv6) : 0)];
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
        if (grant.HasExtension)
            GrantExtension.Write(pushed, grant.Ipv6, s[HandshakeMessage.GrantLength..]);
        return bytes;
    }

    /// <summary>Reads and checks a grant: the prefix is /8../30, both addresses are hosts of that subnet, port and MTU are sane.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> s, out SessionGrant grant, out byte[] clientToServerKey, out byte[] serverToClientKey) =>
        TryDecode(s, out grant, out clientToServerKey, out serverToClientKey, out _);

    /// <summary>
    /// Reads and checks a grant and its extension, if any; <paramref name="error"/> says why one is refused
    /// (<see cref="HandshakeError.UnsupportedVersion"/> for an extension of a later version, else Malformed).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> s, out SessionGrant grant, out byte[] clientToServerKey, out byte[] serverToClientKey,
        out HandshakeError error)
    {
        grant = null!;
        clientToServerKey = serverToClientKey = [];
        error = HandshakeError.Malformed;
        if (s.Length < HandshakeMessage.GrantLength || s.Length > HandshakeMessage.MaxGrantLength)
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
        var pushed = PushedSettings.None;
        Ipv6Grant? ipv6 = null;
        if (s.Length > HandshakeMessage.GrantLength && !GrantExtension.TryRead(s[HandshakeMessage.GrantLength..], out pushed, out ipv6, out error))
            return false;
        grant = new SessionGrant(BinaryPrimitives.ReadUInt32BigEndian(s), client, prefix, server, port, mtu,
            TimeSpan.FromSeconds(keepalive)) { Pushed = pushed, Ipv6 = ipv6 };
        clientToServerKey = s.Slice(19, WireFormat.KeyLength).ToArray();
        serverToClientKey = s.Slice(51, WireFormat.KeyLength).ToArray();
        error = HandshakeError.None;
        return true;
    }

    private static bool IsHost(IPv4Subnet subnet, IPv4Address address) =>
        address != subnet.Network && address != subnet.Broadcast;
}
