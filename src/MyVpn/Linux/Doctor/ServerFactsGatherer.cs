using System.Text.Json;
using MyVpn.Doctor;

namespace MyVpn.Linux.Doctor;

/// <summary>
/// Gathers what the server checks judge, read-only: the forwarding sysctl, <c>nft -j list ruleset</c>,
/// the interfaces, the sockets on the server's ports and who holds them, and whether a server runs for
/// this tun device here (its undo journal names a live pid). Changes nothing on the host.
/// </summary>
internal static class ServerFactsGatherer
{
    /// <summary>An address outside every private range: the route towards it is the route towards the internet.</summary>
    public const string InternetProbe = "1.1.1.1";

    public static ServerFacts Gather(HostFacts host, ServerSetup? setup)
    {
        var facts = new ServerFacts { Host = host, Setup = setup, Forwarding = ReadForwarding() };
        if (setup is null)
            return facts;
        var (ruleset, problem) = ReadRuleset();
        return facts with
        {
            RunningPid = UndoJournal.LiveOwner(setup.Tun),
            Ruleset = ruleset,
            RulesetProblem = problem,
            Outside = setup.Masquerade is { } outside ? InterfaceReader.Read(outside) : null,
            InternetRoute = RouteDevice(InternetProbe) is { } device ? InterfaceReader.Read(device) : null,
            Sockets = SocketOwners.Bound(s =>
                (s.Protocol == SocketProtocol.Tcp && s.Port == setup.Listen.Port)
                || (s.Protocol == SocketProtocol.Udp && s.Port >= setup.FirstPort && s.Port <= setup.LastPort)),
        };
    }

    public static HostFacts Host(string? configProblem) =>
        new(PrivateFile.Caller == 0, File.Exists(TunNodeCheck.Path), configProblem);

    private static string? ReadForwarding()
    {
        try
        {
            return Sysctl.Read(Sysctl.IPv4Forwarding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (NftRuleset?, string?) ReadRuleset()
    {
        try
        {
            var result = SystemTool.Run("nft", ["-j", "list", "ruleset"]);
            if (!result.Succeeded)
                return (null, $"'nft -j list ruleset' failed: {result.Error.Split('\n')[0]}");
            return (NftRuleset.Parse(result.Output.Length == 0 ? """{"nftables":[]}""" : result.Output), null);
        }
        catch (SetupException e)
        {
            return (null, e.Message);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The device of the route the kernel would take to <paramref name="destination"/>; null with no route.</summary>
    public static string? RouteDevice(string destination)
    {
        var result = SystemTool.Run("ip", ["-j", "-4", "route", "get", destination]);
        if (!result.Succeeded)
            return null;
        try
        {
            using var document = JsonDocument.Parse(result.Output);
            return document.RootElement[0].TryGetProperty("dev", out var dev) ? dev.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
