using MyVpn.Io;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>An <see cref="IStreamAcceptor"/> that hands every connection a recording handler.</summary>
internal sealed class RecordingAcceptor : IStreamAcceptor
{
    public List<(IStreamConnection Connection, RecordingStreamHandler Handler)> Accepted { get; } = [];

    public IStreamHandler Accept(IStreamConnection connection)
    {
        var handler = new RecordingStreamHandler();
        Accepted.Add((connection, handler));
        return handler;
    }
}
