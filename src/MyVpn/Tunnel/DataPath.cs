using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Tunnel;

/// <summary>The steps of the data path both engines share: preparing batches, and sealing a buffer in place and sending it.</summary>
internal static class DataPath
{
    /// <summary>
    /// Reads <paramref name="tun"/> into the scratch batch until it is empty, hands each packet to
    /// <paramref name="handle"/> with the time of its batch, and flushes the scratch's outgoing datagrams after
    /// every batch (before the next read reuses the buffers). <paramref name="handle"/> should be a delegate the
    /// engine made once, not per call. Datagrams a send refused are counted in <paramref name="drops"/>.
    /// </summary>
    public static void DrainTun(ITunDevice tun, DataPathScratch scratch, TimeProvider time, Action<PacketBuffer, long> handle, DropCounters drops)
    {
        var batch = scratch.Batch;
        int count;
        while ((count = ReadTun(tun, scratch)) > 0)
        {
            var now = time.GetTimestamp();
            try
            {
                for (var i = 0; i < count; i++)
                    handle(batch[i], now);
            }
            finally
            {
                drops.Add(scratch.Outgoing.Flush());
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> under <paramref name="gate"/> if no other thread holds it; never waits.
    /// The socket threads use it to read tun's immediate answers only while the tun direction is idle.
    /// </summary>
    public static void RunIfIdle(Lock gate, Action work)
    {
        if (!gate.TryEnter())
            return;
        try
        {
            work();
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>Writes <paramref name="packets"/> to tun and counts the packets the device could not take in <paramref name="drops"/>.</summary>
    public static void WriteTun(ITunDevice tun, ReadOnlySpan<PacketBuffer> packets, DropCounters drops)
    {
        var result = tun.Write(packets);
        if (result.Dropped > 0) // the usual write: no atomic add on the counters the other threads share
            drops.Add(result.Reason, result.Dropped);
    }

    private static int ReadTun(ITunDevice tun, DataPathScratch scratch)
    {
        Ready(scratch, PacketBuffer.DefaultHeadroom);
        return Used(scratch, tun.Read(scratch.Batch));
    }

    /// <summary>Receives one batch from <paramref name="transport"/> into the scratch batch; returns how many datagrams.</summary>
    public static int Receive(IDatagramTransport transport, DataPathScratch scratch)
    {
        Ready(scratch, 0);
        return Used(scratch, transport.Receive(scratch.Batch));
    }

    /// <summary>
    /// Readies the buffers a read may fill: a tun packet lands after the IV's headroom (<paramref name="offset"/>
    /// 16), a datagram at the buffer's start (0). Only the buffers the last batch used are reset (a quiet
    /// tunnel moves one packet per batch: the other buffers are still as readied, and touching them all
    /// would cost a cache miss each).
    /// </summary>
    private static void Ready(DataPathScratch scratch, int offset)
    {
        var batch = scratch.Batch;
        for (var i = 0; i < scratch.Used; i++)
        {
            var buffer = batch[i];
            buffer.Reset();
            buffer.Offset = offset;
        }
        scratch.Used = batch.Length; // until the read says how many it filled (a read that throws may have filled any)
    }

    /// <summary>Records that a read gave <paramref name="count"/> packets (and may have written into the buffer after them).</summary>
    private static int Used(DataPathScratch scratch, int count)
    {
        scratch.Used = Math.Min(scratch.Batch.Length, count + 1);
        return count;
    }

    /// <summary>
    /// Seals the inner packet at <c>Data[Offset + 16 .. + innerLength)</c> in place (IV written at
    /// <c>Offset</c>, tag after the packet) and addresses the datagram to <paramref name="to"/>.
    /// False when the session's counter is exhausted (nothing sealed).
    /// </summary>
    public static bool Seal(Session session, PacketBuffer packet, int innerLength, NetEndpoint to)
    {
        var datagram = packet.Data.AsSpan(packet.Offset, innerLength + WireFormat.Overhead);
        if (!session.TrySeal(datagram, innerLength, out var length))
            return false;
        packet.Length = length;
        packet.Endpoint = to;
        return true;
    }

    /// <summary>Why <see cref="Seal"/> failed: the session was closed under the caller, or its counter ran out.</summary>
    public static DropReason SealFailure(Session session) =>
        session.IsClosed ? DropReason.SessionClosed : DropReason.CounterExhausted;

    /// <summary>
    /// Seals as <see cref="Seal"/> does and sends the datagram at once. True when it was sealed (and handed to the
    /// transport); a datagram the transport refused is counted in <paramref name="drops"/>.
    /// </summary>
    public static bool SealAndSend(Session session, PacketBuffer packet, int innerLength, IDatagramTransport transport, NetEndpoint to,
        DropCounters drops)
    {
        if (!Seal(session, packet, innerLength, to))
            return false;
        drops.Add(transport.Send(new ReadOnlySpan<PacketBuffer>(in packet)));
        return true;
    }

    /// <summary>Sends an empty sealed datagram: the keepalive.</summary>
    public static bool SendKeepalive(Session session, PacketBuffer scratch, IDatagramTransport transport, NetEndpoint to, DropCounters drops)
    {
        scratch.Offset = 0;
        return SealAndSend(session, scratch, 0, transport, to, drops);
    }
}
