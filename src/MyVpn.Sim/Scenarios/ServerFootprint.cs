using System.Runtime.CompilerServices;

namespace MyVpn.Sim.Scenarios;

/// <summary>
/// What the server engine of a <see cref="SeedNetwork"/> keeps alive: the live managed heap and the C heap
/// (libcrypto's cipher contexts) with the engine in place, minus the same after the engine is disposed and
/// let go of, each read after full, blocking, compacting collections. The difference is everything only the
/// engine holds: its sessions (keys, replay windows, counters, timers), its tables and its sockets, and not
/// the simulated clients, the network or the configuration, which stay in both readings.
/// </summary>
/// <param name="Sessions">Sessions the engine held when it was measured.</param>
/// <param name="ManagedBytes">Live managed heap the engine held.</param>
/// <param name="NativeBytes">C heap the engine held (null where glibc's <c>mallinfo2</c> is missing).</param>
internal sealed record ServerFootprint(int Sessions, long ManagedBytes, long? NativeBytes)
{
    /// <summary>Both heaps together.</summary>
    public long TotalBytes => ManagedBytes + (NativeBytes ?? 0);

    /// <summary>
    /// Measures <paramref name="net"/>'s server engine and takes it out of the world (the network can no
    /// longer run afterwards). Throws if something outside the engine still holds it after the detach,
    /// since the difference would then not be the engine's.
    /// </summary>
    public static ServerFootprint MeasureAndDetach(SeedNetwork net)
    {
        var sessions = SessionCount(net);
        var (managedWith, nativeWith) = Heaps();
        var engine = Detach(net);
        var (managedWithout, nativeWithout) = Heaps();
        if (engine.IsAlive)
            throw new InvalidOperationException("the server engine is still reachable after it was detached: its footprint cannot be told apart");
        return new ServerFootprint(sessions, managedWith - managedWithout, nativeWith - nativeWithout);
    }

    /// <summary>This footprint minus an empty server's (<paramref name="empty"/>), per session: what one more session costs.</summary>
    public (long Managed, long? Native, long Total) PerSession(ServerFootprint empty) =>
        ((ManagedBytes - empty.ManagedBytes) / Sessions,
         NativeBytes - empty.NativeBytes is { } native ? native / Sessions : null,
         (TotalBytes - empty.TotalBytes) / Sessions);

    /// <summary>The engine's session count; reads the engine in its own frame (see <see cref="Detach"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static int SessionCount(SeedNetwork net) =>
        net.ServerEngine?.SessionCount ?? throw new InvalidOperationException("the server engine is not running");

    // Not inlined, and every other read of the engine is in a method of its own: unoptimized code keeps a
    // method's temporaries alive until it returns, and no reference to the engine may stay in this method's frame while the heap is read.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Detach(SeedNetwork net)
    {
        var engine = new WeakReference(net.ServerEngine);
        net.DetachServer();
        // Datagrams and notifications already in flight to the server's sockets hold their handlers until they
        // arrive (to closed sockets, so nothing happens): a virtual second lets them all land. The clients notice nothing in it.
        net.Clock.RunFor(TimeSpan.FromSeconds(1));
        return engine;
    }

    private static (long Managed, long? Native) Heaps()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers(); // a session's SafeHandles free their C memory
        }
        return (GC.GetTotalMemory(forceFullCollection: false), NativeHeap.BytesInUse());
    }
}
