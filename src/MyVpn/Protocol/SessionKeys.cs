namespace MyVpn.Protocol;

/// <summary>
/// A session's identifier and data keys, handed out only for a key log (--keylog), so that a
/// capture can be decrypted for debugging. Never logged or sent anywhere else.
/// </summary>
public sealed record SessionKeys(uint SessionId, byte[] ClientToServer, byte[] ServerToClient);
