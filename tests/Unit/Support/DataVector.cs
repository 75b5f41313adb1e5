using System.Runtime.CompilerServices;
using MyVpn.Crypto;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// The data packet test vector of docs/protocol.md §5.6: fixed keys, session id and plaintext, and
/// the exact datagrams they seal to (checked independently with Python's <c>cryptography</c> AESGCM).
/// </summary>
public static class DataVector
{
    public const uint SessionId = 0x01020304;

    /// <summary>Client-to-server key: bytes 00 01 02 … 1f.</summary>
    public static byte[] ClientToServerKey => Enumerable.Range(0x00, 32).Select(i => (byte)i).ToArray();

    /// <summary>Server-to-client key: bytes 20 21 22 … 3f.</summary>
    public static byte[] ServerToClientKey => Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray();

    /// <summary>"MyVpn v1 data vector" in ASCII (20 bytes).</summary>
    public static byte[] Plaintext => "MyVpn v1 data vector"u8.ToArray();

    /// <summary>The client's first packet (counter 0) carrying <see cref="Plaintext"/>.</summary>
    public const string FirstDatagramHex =
        "01020304000000000000000000000000" +
        "6c2c8b2d79b10e40db83f6cfd1e0c10b936b3583" +
        "a7f69763a1be806729908cc06745280d";

    /// <summary>The client's second packet (counter 1): a keepalive, IV and tag only.</summary>
    public const string KeepaliveDatagramHex =
        "01020304000000000000000100000000" +
        "a77e7c5ebf2c09a5d58599494dfae294";

    /// <summary>The client's sending direction: seals with the client-to-server key.</summary>
    public static SessionSealer ClientSealer(ICryptoProvider? crypto = null) => new(SessionId, ClientToServerKey, crypto);

    /// <summary>The client's receiving direction: opens with the server-to-client key.</summary>
    public static SessionOpener ClientOpener(ICryptoProvider? crypto = null) => new(SessionId, ServerToClientKey, crypto);

    /// <summary>The server's sending direction: seals with the server-to-client key.</summary>
    public static SessionSealer ServerSealer(ICryptoProvider? crypto = null) => new(SessionId, ServerToClientKey, crypto);

    /// <summary>The server's receiving direction: opens with the client-to-server key.</summary>
    public static SessionOpener ServerOpener(ICryptoProvider? crypto = null) => new(SessionId, ClientToServerKey, crypto);

    /// <summary>The client's thread-safe session (both directions) as the engines hold it.</summary>
    public static Session ClientSession(ICryptoProvider? crypto = null) => new(SessionId, ClientToServerKey, ServerToClientKey, crypto);

    /// <summary>The server's thread-safe session (both directions) as the engines hold it.</summary>
    public static Session ServerSession(ICryptoProvider? crypto = null) => new(SessionId, ServerToClientKey, ClientToServerKey, crypto);

    /// <summary>Seals <paramref name="plaintext"/> with <paramref name="sealer"/> and returns the datagram alone.</summary>
    public static byte[] Seal(SessionSealer sealer, ReadOnlySpan<byte> plaintext) =>
        Seal(plaintext, (buffer, length) => (sealer.TrySeal(buffer, length, out var sealedLength), sealedLength));

    /// <summary>Seals <paramref name="plaintext"/> with <paramref name="session"/> and returns the datagram alone.</summary>
    public static byte[] Seal(Session session, ReadOnlySpan<byte> plaintext) =>
        Seal(plaintext, (buffer, length) => (session.TrySeal(buffer, length, out var sealedLength), sealedLength));

    private static byte[] Seal(ReadOnlySpan<byte> plaintext, Func<byte[], int, (bool Sealed, int Length)> seal)
    {
        var buffer = new byte[plaintext.Length + WireFormat.Overhead];
        plaintext.CopyTo(buffer.AsSpan(WireFormat.IvLength));
        var (done, length) = seal(buffer, plaintext.Length);
        if (!done)
            throw new InvalidOperationException("the counter is exhausted or the session closed");
        return buffer[..length];
    }

    /// <summary>The first vector datagram, sealed by a fresh client sealer.</summary>
    public static byte[] FirstDatagram(ICryptoProvider? crypto = null)
    {
        using var client = ClientSealer(crypto);
        return Seal(client, Plaintext);
    }

    /// <summary>The sending counter, reached without sealing 2^23 packets.</summary>
    public static ref ulong NextCounterOf(SessionSealer sealer) => ref sealer.Counter;

    /// <summary>
    /// The sending counter of a thread-safe session. Bound by name to Session's private field: if it is
    /// renamed the counter-limit tests fail with MissingFieldException, not silently.
    /// </summary>
    public static ref ulong NextCounterOf(Session session) => ref SealerOf(session).Counter;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_sealer")]
    private static extern ref SessionSealer SealerOf(Session session);
}
