using MyVpn.Io;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// An on-path forger in front of a real server: every handshake connection reaches the server, but
/// each message the server sends passes through <c>rewrite</c> first (its result is what the client
/// gets; the message itself when <c>rewrite</c> returns it unchanged). Records when each connection came.
/// </summary>
public sealed class TamperingAcceptor(IStreamAcceptor server, TimeProvider time, Func<byte[], byte[]> rewrite) : IStreamAcceptor
{
    /// <summary>When each handshake connection was accepted, in order.</summary>
    public List<DateTimeOffset> Attempts { get; } = [];

    public IStreamHandler Accept(IStreamConnection connection)
    {
        Attempts.Add(time.GetUtcNow());
        return server.Accept(new Rewriting(connection, rewrite));
    }

    private sealed class Rewriting(IStreamConnection inner, Func<byte[], byte[]> rewrite) : IStreamConnection
    {
        public MyVpn.Net.NetEndpoint RemoteEndpoint => inner.RemoteEndpoint;

        public void Send(ReadOnlySpan<byte> data) => inner.Send(rewrite(data.ToArray()));

        public void Close() => inner.Close();
    }
}
