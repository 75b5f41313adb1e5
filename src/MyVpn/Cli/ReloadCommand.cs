using System.CommandLine;
using MyVpn.Cli.Status;
using MyVpn.Linux;

namespace MyVpn.Cli;

/// <summary>
/// <c>myvpn reload [--tun NAME]</c>: asks the server on the tun device, in the caller's network namespace,
/// through its control socket, to reload its configuration as SIGHUP does; prints what changed. Exit 0
/// when the reload was applied, 1 when it was refused (the server keeps its configuration) or nobody answered.
/// </summary>
internal static class ReloadCommand
{
    public static Command Build()
    {
        var tun = new Option<string>("--tun") { Description = $"The tun device of the server to reload [default: {Defaults.Tun}]", HelpName = "NAME" };
        var command = new Command("reload", """
            Make a running server re-read its config file (as root), as SIGHUP does: clients added, removed or
            re-keyed take effect at once, other sessions are untouched. A config that does not load is refused
            (exit 1, the error on stderr) and the server keeps the one it runs. Settings that need a restart
            are listed and not applied.
            """)
        {
            tun,
        };
        command.SetAction(result => CommandErrors.Run("reload", () =>
        {
            var tunName = SettingParsers.InterfaceName(result.GetValue(tun) ?? Defaults.Tun);
            var body = ControlReply.Body(ControlClient.Request(tunName, "reload"));
            result.InvocationConfiguration.Output.Write(body.Length == 0 || body.EndsWith('\n') ? body : body + "\n");
            return 0;
        }));
        return command;
    }
}
