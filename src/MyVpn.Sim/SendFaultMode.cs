namespace MyVpn.Sim;

/// <summary>How a host's UDP sends fail during a <see cref="FaultKind.SendFailure"/>, as a kernel fails them.</summary>
internal enum SendFaultMode
{
    /// <summary>EAGAIN: the socket's send buffer is full; every datagram is refused.</summary>
    BufferFull,
    /// <summary>ENOBUFS: the kernel has no room; every datagram is refused.</summary>
    NoBuffers,
    /// <summary>EMSGSIZE: datagrams longer than a size limit are refused, shorter ones go.</summary>
    TooBig,
    /// <summary>sendmmsg takes the first k of a batch (k drawn, 0 to all) and the retry of the rest finds the buffer full.</summary>
    Partial,
}
