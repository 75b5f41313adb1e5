namespace MyVpn.Net;

/// <summary>What <see cref="TcpMss.Clamp"/> did with a packet.</summary>
public enum MssClampOutcome
{
    /// <summary>Not a TCP segment with SYN set (or not the first fragment): left alone.</summary>
    NotSyn,
    /// <summary>A SYN whose MSS option (or the lack of one) already fits: left alone.</summary>
    Fits,
    /// <summary>A SYN whose MSS option was lowered, its checksum updated.</summary>
    Lowered,
    /// <summary>Headers or options cut short or inconsistent: left alone (the receiver's stack drops it).</summary>
    Malformed,
}
