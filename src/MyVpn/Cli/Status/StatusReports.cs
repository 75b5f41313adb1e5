using System.Text.Json;
using MyVpn.Client;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tunnel;

namespace MyVpn.Cli.Status;

/// <summary>Builds the <see cref="StatusReport"/> of a running engine, and the control socket's reply that carries it.</summary>
internal static class StatusReports
{
    /// <summary>The server's report: its settings, its sessions and their traffic, its drops.</summary>
    public static StatusReport ForServer(ServerConfig settings, string tunName, int pid, IReadOnlyList<SessionInfo> sessions,
        TrafficTotals traffic, DropCounters drops) => new()
    {
        Role = "server",
        Pid = pid,
        Interface = tunName,
        Listen = settings.Listen.ToString(),
        Ports = settings.SessionPorts,
        Address = settings.ServerAddress.ToString(),
        Subnet = settings.Subnet.ToString(),
        Traffic = new TrafficStatus(traffic.RxPackets, traffic.RxBytes, traffic.TxPackets, traffic.TxBytes),
        Drops = DropsOf(drops),
        Sessions = [.. sessions.Select(s => new SessionStatus
        {
            Name = s.Name,
            SessionId = s.SessionId,
            Address = s.Address.ToString(),
            Port = s.Port,
            Endpoint = s.Endpoint.Port == 0 ? null : s.Endpoint.ToString(),
            SecondsSinceHandshake = (long)s.SinceHandshake.TotalSeconds,
            Traffic = new TrafficStatus(s.RxPackets, s.RxBytes, s.TxPackets, s.TxBytes),
            Drops = AllReasons(reason => s.Drops.GetValueOrDefault(reason)),
        })],
    };

    /// <summary>The client's report: its server, its session (if one is up) and its traffic, its drops.</summary>
    public static StatusReport ForClient(ClientConfig settings, string tunName, int pid, string server, ClientStatus status, DropCounters drops)
    {
        var traffic = new TrafficStatus(status.RxPackets, status.RxBytes, status.TxPackets, status.TxBytes);
        var grant = status.Grant;
        var dropped = DropsOf(drops);
        return new StatusReport
        {
            Role = "client",
            Pid = pid,
            Interface = tunName,
            Server = server,
            Name = settings.Name,
            Connected = status.Connected,
            Address = grant?.ClientAddress.ToString(),
            Subnet = grant?.Subnet.ToString(),
            Traffic = traffic,
            Drops = dropped,
            Sessions = status.Connected && grant is not null
                ? [new SessionStatus
                {
                    Name = settings.Name,
                    SessionId = grant.SessionId,
                    Address = grant.ClientAddress.ToString(),
                    Port = grant.Port,
                    Endpoint = status.Endpoint.ToString(),
                    SecondsSinceHandshake = (long)status.SinceHandshake.TotalSeconds,
                    Traffic = traffic,
                    Drops = dropped,
                }]
                : [],
        };
    }

    /// <summary>Every drop reason by its name (as docs/protocol.md §7.3 and the logs spell it) with its count, zero included, so a reader finds every key.</summary>
    public static SortedDictionary<string, long> DropsOf(DropCounters drops) => AllReasons(reason => drops[reason]);

    private static SortedDictionary<string, long> AllReasons(Func<DropReason, long> count)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var reason in Enum.GetValues<DropReason>())
            result[reason.ToString()] = count(reason);
        return result;
    }

    /// <summary>The control socket's reply to <c>status</c>: <c>ok</c>, then the report as JSON.</summary>
    public static string Reply(StatusReport report) => "ok\n" + ToJson(report) + "\n";

    public static string ToJson(StatusReport report) => JsonSerializer.Serialize(report, StatusJson.Default.StatusReport);
}
