using MyVpn.Protocol;

namespace MyVpn.Io;

/// <summary>
/// What one <see cref="IDatagramTransport.Send"/> did with its batch: how many datagrams the network took, and
/// how many it refused under each of the send <see cref="DropReason"/>s (<see cref="DropReason.SendBufferFull"/>
/// to <see cref="DropReason.SendFailed"/>). A plain value the engine adds to its drop counters; nothing is thrown.
/// </summary>
public struct SendResult : IEquatable<SendResult>
{
    /// <summary>Datagrams the network took.</summary>
    public int Sent;
    public int BufferFull;
    public int NoBuffers;
    public int TooBig;
    public int Refused;
    public int Unreachable;
    public int Failed;

    /// <summary>All <paramref name="count"/> datagrams went.</summary>
    public static SendResult AllSent(int count) => new() { Sent = count };

    /// <summary>Datagrams refused, whatever the reason.</summary>
    public readonly int Dropped => BufferFull + NoBuffers + TooBig + Refused + Unreachable + Failed;

    /// <summary>The datagrams refused under <paramref name="reason"/> (0 for a reason that is not a send's).</summary>
    public readonly int this[DropReason reason] => reason switch
    {
        DropReason.SendBufferFull => BufferFull,
        DropReason.SendNoBuffers => NoBuffers,
        DropReason.SendTooBig => TooBig,
        DropReason.SendRefused => Refused,
        DropReason.SendUnreachable => Unreachable,
        DropReason.SendFailed => Failed,
        _ => 0,
    };

    /// <summary>Records <paramref name="count"/> datagrams refused under <paramref name="reason"/>, one of the send reasons.</summary>
    public void Drop(DropReason reason, int count = 1)
    {
        switch (reason)
        {
            case DropReason.SendBufferFull: BufferFull += count; break;
            case DropReason.SendNoBuffers: NoBuffers += count; break;
            case DropReason.SendTooBig: TooBig += count; break;
            case DropReason.SendRefused: Refused += count; break;
            case DropReason.SendUnreachable: Unreachable += count; break;
            default: Failed += count; break;
        }
    }

    /// <summary>Adds what another send did.</summary>
    public void Add(in SendResult other)
    {
        Sent += other.Sent;
        BufferFull += other.BufferFull;
        NoBuffers += other.NoBuffers;
        TooBig += other.TooBig;
        Refused += other.Refused;
        Unreachable += other.Unreachable;
        Failed += other.Failed;
    }

    public readonly bool Equals(SendResult other) =>
        Sent == other.Sent && BufferFull == other.BufferFull && NoBuffers == other.NoBuffers && TooBig == other.TooBig
        && Refused == other.Refused && Unreachable == other.Unreachable && Failed == other.Failed;

    public override readonly bool Equals(object? obj) => obj is SendResult other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Sent, BufferFull, NoBuffers, TooBig, Refused, Unreachable, Failed);

    public static bool operator ==(SendResult left, SendResult right) => left.Equals(right);

    public static bool operator !=(SendResult left, SendResult right) => !left.Equals(right);

    public override readonly string ToString() =>
        $"sent {Sent}, buffer full {BufferFull}, no buffers {NoBuffers}, too big {TooBig}, refused {Refused}, unreachable {Unreachable}, failed {Failed}";
}
