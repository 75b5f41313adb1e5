using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>One host of a <see cref="ChannelNetwork"/> at <see cref="Address"/>: binds its UDP sockets and opens its handshake streams.</summary>
public sealed class ChannelHost(ChannelNetwork network, IPv4Address address) : IDatagramBinder, IStreamConnector
{
    public IPv4Address Address { get; set; } = address;

    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable) => network.Bind(Address, port, onReadable);

    public IStreamConnection Connect(NetEndpoint server, IStreamHandler handler) =>
        network.Connect(new NetEndpoint(Address, 40), server, handler);
}
