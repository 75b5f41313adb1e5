namespace MyVpn.Sim;

/// <summary>
/// A fault on one direction of one handshake stream: after <see cref="AfterBytes"/> bytes of data have gone
/// through, the stream is either reset (the rest of that segment is lost and both ends get a reset, as from a
/// middlebox or a crashing NAT) or stalls (nothing more moves that way, the connection stays open, until
/// <see cref="Until"/> or the heal, when what was held goes on in order, as TCP's retransmissions would).
/// </summary>
internal sealed class StreamCut(bool reset, int afterBytes, long until)
{
    private readonly List<(SegmentKind Kind, byte[] Data)> _held = [];

    public bool Reset { get; } = reset;
    public int AfterBytes { get; } = afterBytes;
    public long Until { get; } = until;

    /// <summary>Data bytes still allowed through before the cut.</summary>
    public int Left { get; set; } = afterBytes;

    /// <summary>The cut happened: a stall holds what follows, a reset drops it.</summary>
    public bool Struck { get; set; }

    public IReadOnlyList<(SegmentKind Kind, byte[] Data)> Held => _held;

    public void Hold(SegmentKind kind, byte[] data)
    {
        if (!Reset)
            _held.Add((kind, data));
    }

    /// <summary>Takes what was held, to be sent now; the cut no longer applies.</summary>
    public (SegmentKind Kind, byte[] Data)[] Release()
    {
        var held = _held.ToArray();
        _held.Clear();
        return held;
    }

    public string Describe(bool serverToClient) =>
        $"{(Reset ? "reset" : "stall")} {(serverToClient ? "server->client" : "client->server")} after {AfterBytes} bytes";
}
