using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>What a host or a test may see of a session: who, where, and what it carried (a snapshot).</summary>
public sealed record SessionInfo(string Name, uint SessionId, IPv4Address Address, ushort Port, NetEndpoint Endpoint)
{
    /// <summary>Time since the last handshake: the session's start or its latest rekey.</summary>
    public TimeSpan SinceHandshake { get; init; }

    /// <summary>Inner packets opened from the client's datagrams (keepalives and rekey messages not counted).</summary>
    public long RxPackets { get; init; }

    /// <summary>The bytes of <see cref="RxPackets"/>.</summary>
    public long RxBytes { get; init; }

    /// <summary>Inner packets sealed for the client (keepalives and rekey requests not counted).</summary>
    public long TxPackets { get; init; }

    /// <summary>The bytes of <see cref="TxPackets"/>.</summary>
    public long TxBytes { get; init; }

    /// <summary>This session's dropped packets and datagrams, by reason; only reasons that happened.</summary>
    public IReadOnlyDictionary<DropReason, long> Drops { get; init; } = new Dictionary<DropReason, long>();

    /// <summary>Equal when every field is, <see cref="Drops"/> compared by its counts (a record would compare the dictionaries' references).</summary>
    public bool Equals(SessionInfo? other) =>
        other is not null && Name == other.Name && SessionId == other.SessionId && Address == other.Address && Port == other.Port
        && Endpoint == other.Endpoint && SinceHandshake == other.SinceHandshake
        && RxPackets == other.RxPackets && RxBytes == other.RxBytes && TxPackets == other.TxPackets && TxBytes == other.TxBytes
        && Drops.Count == other.Drops.Count && Drops.All(d => other.Drops.TryGetValue(d.Key, out var count) && count == d.Value);

    public override int GetHashCode() => HashCode.Combine(Name, SessionId, Address, Port, Endpoint, RxPackets, TxPackets, Drops.Count);
}
