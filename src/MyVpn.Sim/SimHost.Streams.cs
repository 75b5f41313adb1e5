namespace MyVpn.Sim;

internal sealed partial class SimHost
{
    private (bool Reset, bool ServerToClient, int AfterBytes, long Until)? _streamFault;

    /// <summary>Connections this host opened and that are still open (the server's side lives on the server host).</summary>
    public int OpenStreams => _streams.Count;

    /// <summary>
    /// Until <paramref name="duration"/> has passed (or the heal), every handshake stream this host opens is cut
    /// in the direction given, after <paramref name="afterBytes"/> bytes of data: reset, or stalled until the
    /// fault's end (<see cref="StreamCut"/>).
    /// </summary>
    public void CutStreams(bool reset, bool serverToClient, int afterBytes, TimeSpan duration)
    {
        var until = Network.Now + Math.Max(0, duration.Ticks);
        _streamFault = (reset, serverToClient, afterBytes, until);
        Network.Note($"{Name}'s handshake streams: {(reset ? "reset" : "stall")} {(serverToClient ? "server->client" : "client->server")} " +
                     $"after {afterBytes} bytes, for {duration.TotalSeconds:0.0} s");
        Network.Clock.Events.Schedule(until, () => Network.ReleaseStalls(until));
    }

    /// <summary>No more cuts for new connections (the heal); stalled ones are released by the network.</summary>
    public void EndStreamCuts() => _streamFault = null;

    /// <summary>A connection this host opens now: cut it if the fault is on.</summary>
    private void CutIfFaulted(SimStreamEnd end)
    {
        if (_streamFault is not { } fault || Network.Now >= fault.Until)
            return;
        var cut = new StreamCut(fault.Reset, fault.AfterBytes, fault.Until);
        if (fault.ServerToClient)
            end.PeerCut = cut;
        else
            end.Cut = cut;
    }
}
