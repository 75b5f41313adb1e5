namespace MyVpn.Protocol;

/// <summary>
/// Makes a session's data channel from what a handshake agreed: the session id, the key this side
/// seals with and the key it opens with. The handshake wipes both keys as soon as the factory
/// returns, so the channel must expand or copy them, never keep the spans' memory.
/// </summary>
/// <remarks>
/// The handshakes are pure and single-threaded and do not decide how the channel is shared between
/// threads: the engines pass <c>MyVpn.Tunnel.Session.Create</c> (one lock per direction); a
/// single-threaded user may build a <see cref="SessionSealer"/> and a <see cref="SessionOpener"/>.
/// </remarks>
public delegate TChannel DataChannelFactory<out TChannel>(uint sessionId, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey);
