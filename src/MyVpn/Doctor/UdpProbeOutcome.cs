namespace MyVpn.Doctor;

/// <summary>How the probe through the protocol (a handshake, then a sealed echo on the session port) ended.</summary>
public enum UdpProbeOutcome
{
    /// <summary>Not tried: the client daemon runs (a handshake under its name would replace its session), or TCP failed.</summary>
    Skipped,

    /// <summary>The sealed echo reply came back: TCP and UDP both get through.</summary>
    Replied,

    /// <summary>The handshake worked but no reply came on the session port.</summary>
    NoReply,

    /// <summary>The server refused the name or key.</summary>
    Refused,

    /// <summary>The handshake broke off (closed, timed out, malformed).</summary>
    HandshakeFailed,
}
