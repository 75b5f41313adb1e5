using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// One end of a simulated TCP connection (the handshake stream). The model is TCP as seen by the
/// application: bytes arrive reliably and in order (a lost segment only arrives later), an
/// unanswered port refuses with RST, <see cref="Close"/> sends FIN after queued bytes and the peer
/// then sees <see cref="IStreamHandler.OnClosed"/>. The end that closes gets no more callbacks, as a
/// closed socket gets no more readiness events. A host restart or address change breaks its
/// connections: the peer sees a reset.
/// </summary>
internal sealed class SimStreamEnd : IStreamConnection
{
    /// <summary>How long a connect waits for the SYN to be answered before giving up (as the kernel does, shortened).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(21);

    internal SimStreamEnd(SimHost host, NetEndpoint local, NetEndpoint remote)
    {
        Host = host;
        LocalEndpoint = local;
        RemoteEndpoint = remote;
    }

    public SimHost Host { get; }
    public NetEndpoint LocalEndpoint { get; }
    public NetEndpoint RemoteEndpoint { get; }

    internal IStreamHandler? Handler { get; set; }
    internal SimStreamEnd? Peer { get; set; }
    internal bool Connected { get; private set; }
    internal bool LocallyClosed { get; set; }
    internal bool Finished { get; private set; }

    /// <summary>A fault on what this end sends (<see cref="StreamCut"/>), if any.</summary>
    internal StreamCut? Cut { get; set; }

    /// <summary>A fault for what the peer will send, handed to it when it accepts (client side).</summary>
    internal StreamCut? PeerCut { get; set; }

    /// <summary>When this end's last segment arrives at the peer: the next one may not overtake it.</summary>
    internal long LastSegmentArrival { get; set; }

    /// <summary>Still reporting to its handler: neither closed here nor ended by the peer.</summary>
    internal bool Live => !LocallyClosed && !Finished;

    public void Send(ReadOnlySpan<byte> data)
    {
        if (Live && !data.IsEmpty)
            Host.Network.SendSegment(this, SegmentKind.Data, data.ToArray());
    }

    public void Close()
    {
        if (LocallyClosed)
            return;
        var wasLive = Live;
        LocallyClosed = true;
        Host.Forget(this);
        if (wasLive)
            Host.Network.SendSegment(this, SegmentKind.Fin, []);
    }

    /// <summary>Starts the client side: SYN now, and give up if nothing answers in time.</summary>
    internal void StartConnect()
    {
        Host.Network.SendSegment(this, SegmentKind.Syn, []);
        Host.Network.Clock.Schedule(ConnectTimeout, () => Host.RunOrDefer(() =>
        {
            if (Live && !Connected)
                End();
        }));
    }

    /// <summary>
    /// The server side: the kernel completes the handshake (SYN-ACK goes out first, so nothing the
    /// acceptor sends can overtake it), then the acceptor gets the connection and is told it is open.
    /// </summary>
    internal void AcceptBy(IStreamAcceptor acceptor)
    {
        Connected = true;
        Host.Network.SendSegment(this, SegmentKind.SynAck, []);
        Handler = acceptor.Accept(this);
        if (Live)
            Handler.OnConnected();
    }

    /// <summary>A segment from the peer arrived (in order).</summary>
    internal void OnSegment(SegmentKind kind, byte[] data)
    {
        if (!Live)
        {
            if (kind is SegmentKind.Data or SegmentKind.SynAck)
                Reset(); // nobody reads this socket any more: answer with RST
            return;
        }
        switch (kind)
        {
            case SegmentKind.SynAck when !Connected:
                Connected = true;
                Handler?.OnConnected();
                break;
            case SegmentKind.Data:
                Handler?.OnData(data);
                break;
            case SegmentKind.Fin or SegmentKind.Rst:
                End();
                break;
        }
    }

    /// <summary>The host restarted or moved: this end is gone and its peer gets a reset.</summary>
    internal void Break()
    {
        if (!Live)
            return;
        Finished = true;
        Reset();
    }

    private void Reset() => Host.Network.SendSegment(this, SegmentKind.Rst, []);

    private void End()
    {
        Finished = true;
        Host.Forget(this);
        Handler?.OnClosed();
    }
}
