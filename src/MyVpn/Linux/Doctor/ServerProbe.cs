using System.Net.Sockets;
using MyVpn.Doctor;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Linux.Doctor;

/// <summary>
/// Probes a server from the client's side: a plain TCP connection to the handshake port, and the one
/// honest test of UDP, through the protocol itself: a handshake under the client's name and key, then a
/// sealed ICMP echo to the server's VPN address on the granted session port, whose sealed reply must come
/// back. No tun device is involved. The server keeps the probe's session until it expires, and a
/// handshake under a name replaces that name's session, so the doctor skips this while the client runs.
/// </summary>
internal static class ServerProbe
{
    private const int Attempts = 3;

    /// <summary>Null when the handshake port accepts a connection within <paramref name="timeout"/>; otherwise why not.</summary>
    public static string? ConnectTcp(NetEndpoint server, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        return Connect(socket, server, timeout);
    }

    public static UdpProbe HandshakeAndEcho(NetEndpoint server, string name, byte[] key, TimeSpan timeout)
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (Connect(tcp, server, timeout) is { } problem)
            return new UdpProbe(UdpProbeOutcome.HandshakeFailed, problem);
        tcp.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        using var handshake = new ClientHandshake(name, key, default, SystemRandomSource.Instance);
        if (Handshake(tcp, handshake) is { } failed)
            return failed;
        var grant = handshake.Grant!;
        var (sealer, opener) = handshake.CreateSession((id, seal, open) => (new SessionSealer(id, seal), new SessionOpener(id, open)));
        using (sealer)
        using (opener)
            return Echo(server, grant, sealer, opener, timeout);
    }

    private static UdpProbe? Handshake(Socket tcp, ClientHandshake handshake)
    {
        var buffer = new byte[4096];
        try
        {
            tcp.Send(handshake.Start());
            while (true)
            {
                var read = tcp.Receive(buffer);
                if (read == 0)
                    return new UdpProbe(UdpProbeOutcome.HandshakeFailed, $"the server closed the connection ({handshake.OnClosed()})");
                var step = handshake.OnData(buffer.AsSpan(0, read));
                if (step.Reply is { } reply)
                    tcp.Send(reply);
                if (step.Status == HandshakeStatus.Established)
                    return null;
                if (step.Status == HandshakeStatus.Failed)
                    return step.Error == HandshakeError.Rejected
                        ? new UdpProbe(UdpProbeOutcome.Refused, $"Reject {handshake.RejectCode}")
                        : new UdpProbe(UdpProbeOutcome.HandshakeFailed, step.Error.ToString());
            }
        }
        catch (SocketException e)
        {
            return new UdpProbe(UdpProbeOutcome.HandshakeFailed, e.SocketErrorCode == SocketError.TimedOut ? "no answer in time" : e.Message);
        }
    }

    private static UdpProbe Echo(NetEndpoint server, SessionGrant grant, SessionSealer sealer, SessionOpener opener, TimeSpan timeout)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(new NetEndpoint(server.Address, grant.Port).ToIPEndPoint());
        var perAttempt = (int)(timeout.TotalMilliseconds / Attempts);
        udp.ReceiveTimeout = Math.Max(perAttempt, 1);
        var id = (ushort)Environment.ProcessId;
        var buffer = new byte[65536];
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            EchoPacket.Write(buffer.AsSpan(WireFormat.IvLength), grant.ClientAddress, grant.ServerAddress, id, (ushort)attempt);
            if (!sealer.TrySeal(buffer, EchoPacket.Length, out var length))
                break;
            try
            {
                udp.Send(buffer.AsSpan(0, length));
                while (true)
                {
                    var read = udp.Receive(buffer);
                    if (opener.TryOpen(buffer.AsSpan(0, read), out var plaintext, out _)
                        && EchoPacket.IsReply(buffer.AsSpan(WireFormat.IvLength, plaintext), id))
                        return Granted(UdpProbeOutcome.Replied, grant);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionRefused)
            {
                // no reply in this attempt's share of the time (or an ICMP error): try again
            }
        }
        return Granted(UdpProbeOutcome.NoReply, grant);
    }

    private static UdpProbe Granted(UdpProbeOutcome outcome, SessionGrant grant) =>
        new(outcome, Port: grant.Port, GrantedMtu: grant.Mtu)
        {
            PushedDns = grant.Pushed.DnsServers,
            VpnSubnet = new IPv4Range(grant.ClientAddress, grant.PrefixLength),
            PushedRoutes = grant.Pushed.Routes,
        };

    private static string? Connect(Socket socket, NetEndpoint server, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(server.ToIPEndPoint(), cancel.Token).AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {timeout.TotalSeconds:0} s";
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }
}
