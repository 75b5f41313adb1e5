namespace MyVpn.Linux;

/// <summary>
/// How a handshake connection ended, in the terms the simulator's streams end in. Every one of them reaches the
/// engine the same way, as <see cref="Io.IStreamHandler.OnClosed"/>: the handshake fails (or, once done, was
/// already over) and the client retries with backoff; the name only says why, for the log.
/// </summary>
internal enum TcpStreamEnd
{
    /// <summary>The peer closed (FIN), or this side closed or gave up (its deadline, shutdown).</summary>
    Closed,
    /// <summary>Reset part-way (ECONNRESET, ECONNABORTED, EPIPE): the simulator's reset, a peer that restarted or moved.</summary>
    Reset,
    /// <summary>Nobody listens there (ECONNREFUSED): the simulator's reset answering a SYN.</summary>
    Refused,
    /// <summary>No route (EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN): the simulator's unreachable address, which ends in a connect timeout.</summary>
    Unreachable,
    /// <summary>The kernel gave up (ETIMEDOUT): the simulator's connect timeout, or a stream stalled past TCP's retries.</summary>
    TimedOut,
    /// <summary>Any other socket error (out of memory or descriptors, say): the connection ends all the same.</summary>
    Failed,
}
