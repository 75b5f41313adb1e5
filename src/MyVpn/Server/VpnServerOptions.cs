using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>Everything the server engine needs to know; the CLI builds it from flags or TOML.</summary>
public sealed class VpnServerOptions
{
    /// <summary>The VPN subnet, <see cref="DefaultSubnet"/> (10.0.0.0/24) by default.</summary>
    public IPv4Subnet Subnet { get; init; } = DefaultSubnet;

    public static readonly IPv4Subnet DefaultSubnet = IPv4Subnet.Parse("10.0.0.0/24");

    /// <summary>The server's own address in the subnet; the first host (10.0.0.1) by default.</summary>
    public IPv4Address? ServerAddress { get; init; }

    public IReadOnlyList<ClientEntry> Clients { get; init; } = [];

    /// <summary>
    /// The single-key form: a client whose name is not in <see cref="Clients"/> authenticates with this
    /// key (null: only listed clients get in). Each name still has one session at a time.
    /// </summary>
    public byte[]? SharedKey { get; init; }

    /// <summary>
    /// At most this many sessions of clients that authenticate with <see cref="SharedKey"/> at once
    /// (clients with keys of their own are not counted); a further one is refused as
    /// <see cref="Protocol.HandshakeError.SessionLimit"/> (Busy on the wire). A client taking over its own
    /// name's session is not a further one.
    /// </summary>
    public int MaxSharedKeySessions { get; init; } = DefaultMaxSharedKeySessions;

    public const int DefaultMaxSharedKeySessions = 256;

    /// <summary>
    /// The UDP ports sessions are given, inclusive; by default the wire format's
    /// <see cref="WireFormat.DefaultFirstSessionPort"/>..<see cref="WireFormat.DefaultLastSessionPort"/>.
    /// </summary>
    public ushort FirstPort { get; init; } = WireFormat.DefaultFirstSessionPort;
    public ushort LastPort { get; init; } = WireFormat.DefaultLastSessionPort;

    /// <summary>
    /// One-port mode (TOML <c>single_port</c>): every session shares this UDP port (the host passes the
    /// handshake port's number), told apart by the session id in each datagram, and
    /// <see cref="FirstPort"/>..<see cref="LastPort"/> go unused. 0 (the default): each session its own port.
    /// </summary>
    public ushort SinglePort { get; init; }

    /// <summary>The MTU the server tells clients to set on their tun device.</summary>
    public int Mtu { get; init; } = DefaultMtu;

    /// <summary>1500 − <see cref="WireFormat.PathOverheadIPv6"/>: a full packet fits a 1500-byte link over IPv6 (and IPv4, with 20 to spare).</summary>
    public const int DefaultMtu = 1500 - WireFormat.PathOverheadIPv6;

    /// <summary>How often each side sends a keepalive when it has sent nothing else.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = DefaultKeepaliveInterval;

    public static readonly TimeSpan DefaultKeepaliveInterval = TimeSpan.FromSeconds(10);

    /// <summary>A session from which nothing authentic arrived for this long is closed, freeing its address and port.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Every session is asked to rekey (a fresh handshake) once its keys are this old, or sooner when either
    /// direction's counter reaches <see cref="Protocol.WireFormat.SoftCounterLimit"/>. A session whose keys
    /// reach <see cref="RekeyDeadlineFactor"/> times this age without a rekey is closed.
    /// </summary>
    public TimeSpan RekeyInterval { get; init; } = DefaultRekeyInterval;

    public static readonly TimeSpan DefaultRekeyInterval = TimeSpan.FromSeconds(120);

    /// <summary>How long the keys a rekey replaced still open datagrams in flight.</summary>
    public TimeSpan RekeyGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Keys this many rekey intervals old end their session (the client never rekeyed).</summary>
    public const int RekeyDeadlineFactor = 3;

    /// <summary>A handshake connection that has not finished in this time is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The first message (ClientHello) must arrive within this time of the connection, or the handshake
    /// fails with <c>Timeout</c>; the whole handshake still has <see cref="HandshakeTimeout"/>.
    /// </summary>
    public TimeSpan FirstMessageTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many handshakes in flight; further connections are refused (Reject Busy, then closed).</summary>
    public int MaxPendingHandshakes { get; init; } = DefaultMaxPendingHandshakes;

    public const int DefaultMaxPendingHandshakes = 256;

    /// <summary>At most this many handshakes in flight from one source address; further connections from it are refused.</summary>
    public int MaxHandshakesPerSource { get; init; } = 4;

    /// <summary>
    /// Handshakes one source address may start per second, on average (a token bucket holding
    /// <see cref="HandshakeBurstPerSource"/>); connections over the rate are refused.
    /// </summary>
    public double HandshakeRatePerSource { get; init; } = 10;

    /// <summary>How many handshakes one source may start at once before <see cref="HandshakeRatePerSource"/> applies.</summary>
    public int HandshakeBurstPerSource { get; init; } = 5;

    /// <summary>
    /// At most this many handshake messages are processed (key pair, ECDH, decryption) at the same time;
    /// a message that arrives while all are busy gets Reject Busy. Keeps a flood from taking every core.
    /// </summary>
    public int MaxConcurrentHandshakeCrypto { get; init; } = 2;

    /// <summary>Each kind of warning (a handshake failure reason, a refusal reason) is logged at most once per interval.</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The server host's own addresses (of every interface, with their broadcast addresses): clients may not
    /// reach them, except the VPN address. The host gathers them at start; empty in tests and the simulator.
    /// </summary>
    public IReadOnlyList<IPv4Address> HostAddresses { get; init; } = [];

    /// <summary>Ranges clients may not reach, beyond <see cref="ReachPolicy.BlockedByDefault"/> (TOML <c>block</c>).</summary>
    public IReadOnlyList<IPv4Range> Block { get; init; } = [];

    /// <summary>Ranges clients may reach whatever the defaults, <see cref="Block"/> or the host addresses say (TOML <c>allow</c>).</summary>
    public IReadOnlyList<IPv4Range> Allow { get; init; } = [];

    /// <summary>Whether clients may send to one another (TOML <c>client_to_client</c>); true by default.</summary>
    public bool ClientToClient { get; init; } = true;

    /// <summary>Routes, DNS servers and search domains sent in every grant (TOML <c>routes</c>, <c>dns</c>, <c>dns_search</c>); none by default.</summary>
    public Protocol.PushedSettings Pushed { get; init; } = Protocol.PushedSettings.None;

    /// <summary>When set, receives every session's data keys (the --keylog file). Off by default.</summary>
    public Action<Protocol.SessionKeys>? KeyLog { get; init; }

    public IPv4Address EffectiveServerAddress => ServerAddress ?? Subnet.Host(1);

    /// <summary>
    /// The VPN's IPv6 subnet (TOML <c>subnet6</c>, or <c>ipv6 = true</c>): each client gets the host of it with
    /// the index its IPv4 address has in <see cref="Subnet"/>, the server likewise. Null (the default): IPv4 only.
    /// </summary>
    public IPv6Subnet? Subnet6 { get; init; }

    /// <summary>The server's IPv6 address: the host of <see cref="Subnet6"/> with the index of <see cref="EffectiveServerAddress"/> (::1 by default).</summary>
    public IPv6Address? EffectiveServerAddress6 => Subnet6 is { } v6 ? v6.Host(EffectiveServerAddress.Value - Subnet.Network.Value) : null;

    /// <summary>The IPv6 part of the grant of a client given <paramref name="clientAddress"/>; null without <see cref="Subnet6"/>.</summary>
    public Protocol.Ipv6Grant? Ipv6GrantFor(IPv4Address clientAddress) => Subnet6 is { } v6
        ? new Protocol.Ipv6Grant(v6.Host(clientAddress.Value - Subnet.Network.Value), v6.PrefixLength, EffectiveServerAddress6!.Value)
        : null;

    /// <summary>Why <see cref="Subnet6"/> cannot number every host of <see cref="Subnet"/>, or null.</summary>
    public static string? Subnet6Problem(IPv6Subnet subnet6, IPv4Subnet subnet) =>
        (ulong)subnet.HostCount < subnet6.IndexCount ? null
            : $"{subnet6} has room for {subnet6.IndexCount - 1} hosts, fewer than the {subnet.HostCount} of {subnet}: use a prefix of at most /{96 + subnet.PrefixLength}";

    /// <summary>The server host's own IPv6 addresses: clients may not reach them, except the VPN address. Empty in tests and the simulator.</summary>
    public IReadOnlyList<IPv6Address> HostAddresses6 { get; init; } = [];

    /// <summary>IPv6 ranges clients may not reach, beyond <see cref="ReachPolicy6.BlockedByDefault"/> (the IPv6 entries of TOML <c>block</c>).</summary>
    public IReadOnlyList<IPv6Range> Block6 { get; init; } = [];

    /// <summary>IPv6 ranges clients may reach whatever else says (the IPv6 entries of TOML <c>allow</c>).</summary>
    public IReadOnlyList<IPv6Range> Allow6 { get; init; } = [];
}
