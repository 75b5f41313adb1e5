namespace MyVpn.Io;

/// <summary>Opens UDP ports. The host that implements it also watches each port it opened.</summary>
public interface IDatagramBinder
{
    /// <summary>
    /// Binds a UDP socket on <paramref name="port"/> (0: any free port). Whenever datagrams are
    /// waiting the host calls <paramref name="onReadable"/> (never concurrently for one socket),
    /// and the owner then calls <see cref="IDatagramTransport.Receive"/> until it returns 0. Level-triggered:
    /// while datagrams are waiting after a call returns, the host calls again (see <see cref="IDatagramTransport"/>).
    /// Throws <see cref="PortUnavailableException"/> when the port is taken.
    /// </summary>
    IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable);
}
