using System.Net;
using System.Net.Sockets;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Looks the server's name up with the system resolver (<see cref="Dns.GetHostAddresses(string)"/>:
/// getaddrinfo, so /etc/hosts and then DNS as nsswitch.conf says; in a network namespace entered with
/// <c>ip netns exec</c>, /etc/netns/NAME/hosts stands in for /etc/hosts). Each lookup runs on a pool thread,
/// so the engine never waits for DNS. The addresses keep the resolver's order (glibc sorts them by RFC 6724:
/// an IPv6 one first when this host has an IPv6 route to it, else IPv4).
/// </summary>
internal sealed class SystemServerResolver(string host, ushort port) : IServerResolver
{
    public string Name => $"{host}:{port}";

    public void Resolve(Action<ServerLookup> done) => _ = Task.Run(() => done(Lookup()));

    private ServerLookup Lookup()
    {
        try
        {
            var endpoints = new List<NetEndpoint>();
            foreach (var address in Dns.GetHostAddresses(host))
            {
                if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
                    continue;
                var endpoint = NetEndpoint.From(new IPEndPoint(address, port));
                if (!endpoints.Contains(endpoint))
                    endpoints.Add(endpoint);
            }
            return ServerLookup.Found(Name, endpoints);
        }
        catch (SocketException e)
        {
            return ServerLookup.Failed(Name, e.Message);
        }
        catch (ArgumentException e)
        {
            return ServerLookup.Failed(Name, e.Message);
        }
    }
}
