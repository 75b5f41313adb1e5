using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>One host of a <see cref="ThreadedNetwork"/>: UDP sockets on the threaded network, handshake streams over its <see cref="ChannelHost"/>.</summary>
public sealed class ThreadedHost(ThreadedNetwork network, ChannelHost streams) : IDatagramBinder, IStreamConnector
{
    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable) =>
        network.Bind(streams.Address, port, onReadable);

    public IStreamConnection Connect(NetEndpoint server, IStreamHandler handler) => streams.Connect(server, handler);
}
