using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>Handshake sides and hand-made frames for the malformed-input tests.</summary>
public static class HandshakeInputs
{
    public static ClientHandshake NewClient(int seed = 1) => new("pc1", Handshakes.Key(1), default, new TestRandom(seed));

    public static ServerHandshake NewServer(int seed = 100) => new(Handshakes.Keys(), new TestRandom(seed));

    /// <summary>A header as written, whatever it claims, followed by <paramref name="body"/>.</summary>
    public static byte[] RawFrame(byte type, byte version, int announcedLength, ReadOnlySpan<byte> body) =>
        [type, version, (byte)(announcedLength >> 8), (byte)announcedLength, .. body];

    public static byte[] ServerHelloFor(ClientHandshake client, out byte[] clientHello)
    {
        using var server = NewServer();
        clientHello = client.Start();
        return server.OnData(clientHello).Reply!;
    }

    public static HandshakeStep ServerGetsCraftedAuth(ReadOnlySpan<byte> plaintext)
    {
        using var crafted = new CraftedClient(seed: 7);
        using var server = NewServer();
        var serverHello = server.OnData(crafted.ClientHello).Reply!;
        return server.OnData(crafted.ClientAuth(serverHello, plaintext));
    }
}
