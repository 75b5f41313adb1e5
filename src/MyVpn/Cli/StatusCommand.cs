using System.CommandLine;
using System.Text.Json;
using MyVpn.Cli.Status;
using MyVpn.Linux;

namespace MyVpn.Cli;

/// <summary>
/// <c>myvpn status [--json] [--tun NAME]</c>: asks the daemon on the tun device, in the caller's network
/// namespace, through its control socket, and prints its sessions as a table or as the documented JSON.
/// </summary>
internal static class StatusCommand
{
    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's status as JSON (schema 1, see docs/operations.md) instead of a table" };
        var tun = new Option<string>("--tun") { Description = $"The tun device of the daemon to ask [default: {Defaults.Tun}]", HelpName = "NAME" };
        var command = new Command("status", """
            Show a running server's or client's sessions (as root): per session the client's name, VPN address,
            public endpoint, server port, time since the last handshake, packets and bytes each way; and the
            daemon's drops by reason. Asks the daemon on the tun device in this network namespace.
            """)
        {
            json, tun,
        };
        command.SetAction(result => CommandErrors.Run("status", () =>
        {
            var tunName = SettingParsers.InterfaceName(result.GetValue(tun) ?? Defaults.Tun);
            var body = ControlReply.Body(ControlClient.Request(tunName, "status"));
            if (result.GetValue(json))
            {
                Console.Out.Write(body.EndsWith('\n') ? body : body + "\n");
                return 0;
            }
            StatusReport? report;
            try
            {
                report = JsonSerializer.Deserialize(body, StatusJson.Default.StatusReport);
            }
            catch (JsonException e)
            {
                throw new SetupException($"the daemon's status is not what this myvpn reads (schema {StatusReport.CurrentSchema}): {e.Message}");
            }
            if (report is null || report.Schema != StatusReport.CurrentSchema)
                throw new SetupException($"the daemon's status has schema {report?.Schema}, this myvpn reads {StatusReport.CurrentSchema}: use the same version of myvpn");
            Console.Out.Write(StatusTable.Render(report));
            return 0;
        }));
        return command;
    }
}
