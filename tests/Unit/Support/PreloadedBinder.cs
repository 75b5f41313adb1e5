using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// A binder whose sockets can be loaded with datagrams and told they are readable, so a test can measure what
/// one receive of the engine costs (allocations) with nothing of the test's own network on the path.
/// Everything else goes to the inner binder's socket.
/// </summary>
public sealed class PreloadedBinder(IDatagramBinder inner) : IDatagramBinder
{
    private readonly Dictionary<ushort, PreloadedSocket> _sockets = [];

    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable)
    {
        PreloadedSocket? socket = null;
        var bound = inner.Bind(port, _ => onReadable(socket!));
        socket = new PreloadedSocket(bound, onReadable);
        _sockets[bound.LocalEndpoint.Port] = socket;
        return socket;
    }

    /// <summary>The socket bound on <paramref name="port"/>.</summary>
    public PreloadedSocket Socket(ushort port) => _sockets[port];

    /// <summary>A socket that hands out its loaded datagrams before the inner socket's.</summary>
    public sealed class PreloadedSocket(IDatagramTransport inner, Action<IDatagramTransport> onReadable) : IDatagramTransport
    {
        private byte[][] _loaded = [];
        private NetEndpoint _from;
        private int _next;

        public NetEndpoint LocalEndpoint => inner.LocalEndpoint;
        public int BatchSize => inner.BatchSize;

        /// <summary>Loads datagrams as if sent from <paramref name="from"/> (the array is kept, not copied).</summary>
        public void Load(byte[][] datagrams, NetEndpoint from)
        {
            _loaded = datagrams;
            _from = from;
            _next = 0;
        }

        /// <summary>Tells the engine that datagrams are waiting, as the host would.</summary>
        public void Readable() => onReadable(this);

        public int Receive(Span<PacketBuffer> datagrams)
        {
            if (_next == _loaded.Length)
                return inner.Receive(datagrams);
            var count = 0;
            while (count < datagrams.Length && _next < _loaded.Length)
            {
                var bytes = _loaded[_next++];
                bytes.CopyTo(datagrams[count].Data.AsSpan(datagrams[count].Offset));
                datagrams[count].Length = bytes.Length;
                datagrams[count].Endpoint = _from;
                count++;
            }
            return count;
        }

        public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams) => inner.Send(datagrams);

        public void Dispose() => inner.Dispose();
    }
}
