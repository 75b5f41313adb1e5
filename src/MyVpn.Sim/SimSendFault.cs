using MyVpn.Io;
using MyVpn.Protocol;

namespace MyVpn.Sim;

/// <summary>
/// A host's UDP sends failing (<see cref="FaultKind.SendFailure"/>): what the kernel and
/// <c>LinuxUdpTransport</c> together make of a batch, so <see cref="SimDatagramTransport.Send"/> reports the
/// same <see cref="SendResult"/> the Linux host would. Set on a <see cref="SimHost"/> for a while.
/// </summary>
internal sealed class SimSendFault(SendFaultMode mode, int sizeLimit, SimRandom random)
{
    public SendFaultMode Mode => mode;

    /// <summary>With <see cref="SendFaultMode.TooBig"/>: the longest datagram that still goes.</summary>
    public int SizeLimit => sizeLimit;

    /// <summary>How many datagrams at the start of a batch of <paramref name="count"/> the kernel takes before refusing.</summary>
    public int Taken(int count) => mode switch
    {
        SendFaultMode.BufferFull or SendFaultMode.NoBuffers => 0,
        SendFaultMode.Partial => (int)random.NextInRange(0, count),
        _ => count,
    };

    /// <summary>Why datagram <paramref name="index"/> of a batch (of which the kernel takes <paramref name="taken"/>) is refused, or null: it goes.</summary>
    public DropReason? Refuse(int index, int taken, int length) => mode switch
    {
        SendFaultMode.BufferFull or SendFaultMode.Partial when index >= taken => DropReason.SendBufferFull,
        SendFaultMode.NoBuffers => DropReason.SendNoBuffers,
        SendFaultMode.TooBig when length > sizeLimit => DropReason.SendTooBig,
        _ => null,
    };

    public override string ToString() => mode switch
    {
        SendFaultMode.BufferFull => "EAGAIN, send buffer full",
        SendFaultMode.NoBuffers => "ENOBUFS",
        SendFaultMode.TooBig => $"EMSGSIZE above {sizeLimit} bytes",
        _ => "sendmmsg takes part of each batch",
    };
}
