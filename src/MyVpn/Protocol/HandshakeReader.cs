namespace MyVpn.Protocol;

/// <summary>
/// Cuts a handshake byte stream into frames, checking each header (version, type, length
/// limits) as soon as it is complete, so an oversized message is refused before its body is read.
/// Holds at most one frame.
/// </summary>
public sealed class HandshakeReader
{
    private readonly byte[] _buffer = new byte[HandshakeMessage.MaxFrameLength];
    private int _filled;

    /// <summary>True while part of a frame is buffered.</summary>
    public bool HasPartialFrame => _filled > 0;

    /// <summary>
    /// Takes bytes from <paramref name="input"/> (advancing it) until a frame is complete.
    /// Returns true with the frame (valid until the next call) when one is; false with
    /// <paramref name="error"/> None when more bytes are needed, or with the error that ends the handshake.
    /// </summary>
    public bool TryRead(ref ReadOnlySpan<byte> input, out HandshakeMessageType type, out ReadOnlySpan<byte> frame,
        out HandshakeError error)
    {
        type = default;
        frame = default;
        error = HandshakeError.None;
        if (!Fill(ref input, HandshakeMessage.HeaderLength))
            return false;
        if (!HandshakeMessage.TryGetBodyLimits(_buffer[0], out var min, out var max))
        {
            error = HandshakeError.UnknownMessageType;
            return false;
        }
        if (_buffer[1] != WireFormat.Version)
        {
            error = HandshakeError.UnsupportedVersion;
            return false;
        }
        var bodyLength = (_buffer[2] << 8) | _buffer[3];
        if (bodyLength > max)
        {
            error = HandshakeError.Oversized;
            return false;
        }
        if (bodyLength < min)
        {
            error = HandshakeError.Malformed;
            return false;
        }
        var total = HandshakeMessage.HeaderLength + bodyLength;
        if (!Fill(ref input, total))
            return false;
        type = (HandshakeMessageType)_buffer[0];
        frame = _buffer.AsSpan(0, total);
        _filled = 0;
        return true;
    }

    private bool Fill(ref ReadOnlySpan<byte> input, int upTo)
    {
        // Nothing to take once the header is in and the body is being read (_filled > HeaderLength).
        var take = Math.Clamp(upTo - _filled, 0, input.Length);
        input[..take].CopyTo(_buffer.AsSpan(_filled));
        _filled += take;
        input = input[take..];
        return _filled >= upTo;
    }
}
