using MyVpn.Protocol;

namespace MyVpn.Io;

/// <summary>
/// What <see cref="ITunDevice.Write"/> did: how many packets of the batch the device could not take, and why
/// (when several failed for different reasons, the last one's). The engine counts them as drops.
/// </summary>
public readonly record struct TunWriteResult(int Dropped, DropReason Reason)
{
    /// <summary>Every packet was taken.</summary>
    public static TunWriteResult AllWritten => default;
}
