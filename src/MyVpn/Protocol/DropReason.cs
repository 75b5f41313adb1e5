namespace MyVpn.Protocol;

/// <summary>Why a packet or datagram was not delivered. Every drop is counted under one of these.</summary>
public enum DropReason
{
    /// <summary>Shorter than IV + tag.</summary>
    DatagramTooShort,
    /// <summary>Larger than any packet the session can carry.</summary>
    DatagramTooLong,
    /// <summary>The IV's reserved bytes are not zero, or its session id is not this session's.</summary>
    WrongSession,
    /// <summary>The counter was seen before, or is older than the replay window.</summary>
    Replayed,
    /// <summary>The tag did not verify: tampered, truncated, forged, or under another key.</summary>
    AuthenticationFailed,
    /// <summary>The inner packet is not a well-formed IPv4 (or IPv6) packet.</summary>
    MalformedInnerPacket,
    /// <summary>The inner packet is not IPv4, nor IPv6 on a session that has an IPv6 address.</summary>
    NotIPv4,
    /// <summary>The inner source address is not the address the sending client was given.</summary>
    SpoofedSource,
    /// <summary>The destination is in the VPN subnet but no client holds that address.</summary>
    NoSuchClient,
    /// <summary>A packet from tun while the client has no session (not yet, or between handshakes).</summary>
    NotConnected,
    /// <summary>The sending counter is exhausted: the session must be renewed.</summary>
    CounterExhausted,
    /// <summary>A datagram arrived on a port that belongs to no session, or (one-port mode) carries a session id no session holds.</summary>
    NoSession,
    /// <summary>The session was closed (replaced, expired, shut down) while a data-path thread still held it.</summary>
    SessionClosed,
    /// <summary>A client sent to one of the server host's own addresses other than its VPN address.</summary>
    BlockedHostAddress,
    /// <summary>A client sent to a range blocked by default (link-local, loopback, multicast...) or by <c>block</c>.</summary>
    BlockedRange,
    /// <summary>A client sent to another client while <c>client_to_client</c> is false.</summary>
    ClientIsolation,
    /// <summary>Larger than the tunnel toward its destination carries (DF set, or IPv6): answered with ICMP "fragmentation needed" / ICMPv6 "packet too big".</summary>
    PacketTooBig,
    /// <summary>Larger than the tunnel toward its destination carries and not answered: over the ICMP rate limit, or itself an ICMP error.</summary>
    PacketTooBigUnanswered,
    /// <summary>The tun device's queue was full (ENOBUFS, EAGAIN, ENOMEM on write, or the tun writer is stalled and its queue is full).</summary>
    TunQueueFull,
    /// <summary>The tun device is down or gone (EIO, ENETDOWN, EBADFD, ENODEV, ENXIO on write).</summary>
    TunUnavailable,
    /// <summary>The tun device refused the packet itself (EINVAL, EMSGSIZE, EFAULT or another error on write).</summary>
    TunRejected,
    /// <summary>The socket's send buffer was full (EAGAIN): the datagram was not sent.</summary>
    SendBufferFull,
    /// <summary>The kernel had no memory or device queue room for the datagram (ENOBUFS, ENOMEM): not sent.</summary>
    SendNoBuffers,
    /// <summary>The kernel refused the datagram as larger than it sends (EMSGSIZE): not sent.</summary>
    SendTooBig,
    /// <summary>The send was refused: by a firewall rule on output (EPERM, EACCES) or an earlier ICMP port unreachable (ECONNREFUSED).</summary>
    SendRefused,
    /// <summary>No route to the datagram's destination (EHOSTUNREACH, ENETUNREACH, ENETDOWN, EHOSTDOWN, EADDRNOTAVAIL): not sent.</summary>
    SendUnreachable,
    /// <summary>Any other error of the send system call: not sent.</summary>
    SendFailed,
}
