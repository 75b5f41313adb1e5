using System.CommandLine;
using MyVpn.Captures;

namespace MyVpn.Cli;

/// <summary>
/// <c>myvpn pcap inspect|decrypt</c>: look at captured MyVpn traffic (tcpdump -w) without root.
/// inspect lists handshakes and sessions and checks the IVs; decrypt opens the data packets with a
/// --keylog file and writes the inner packets to a raw-IP pcap.
/// </summary>
internal static class PcapCommand
{
    public static Command Build()
    {
        var command = new Command("pcap", "Inspect or decrypt a capture of MyVpn traffic (from tcpdump -w)");
        command.Subcommands.Add(BuildInspect());
        command.Subcommands.Add(BuildDecrypt());
        return command;
    }

    private static Command BuildInspect()
    {
        var file = CaptureArgument();
        var (ports, handshakePort) = PortOptions();
        var command = new Command("inspect", "List the handshakes and sessions in a capture and check every data packet's IV; exits 4 if anything is wrong")
        {
            file, ports, handshakePort,
        };
        command.SetAction(result => CommandErrors.Run("pcap inspect", () =>
        {
            var options = CaptureOptionsFrom(result.GetValue(ports), result.GetValue(handshakePort));
            var report = CaptureInspector.Inspect(CaptureReader.Read(result.GetRequiredValue(file)), options);
            Console.Out.Write(report.ToString());
            return report.IsClean ? 0 : 4;
        }));
        return command;
    }

    private static Command BuildDecrypt()
    {
        var file = CaptureArgument();
        var keyLog = new Option<string>("--keylog") { Description = "The key log the daemon wrote with --keylog", HelpName = "FILE", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the inner packets (raw-IP pcap)", HelpName = "FILE", Required = true };
        var (ports, handshakePort) = PortOptions();
        var command = new Command("decrypt", "Decrypt the data packets of a capture with a key log; the inner IP packets go to a new pcap")
        {
            file, keyLog, output, ports, handshakePort,
        };
        command.SetAction(result => CommandErrors.Run("pcap decrypt", () =>
        {
            var options = CaptureOptionsFrom(result.GetValue(ports), result.GetValue(handshakePort));
            var keys = KeyLog.Read(result.GetRequiredValue(keyLog));
            var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(result.GetRequiredValue(file)), keys, options,
                result.GetRequiredValue(output));
            Console.Out.WriteLine($"{counts.Decrypted} packets decrypted, {counts.Keepalives} keepalives, "
                + $"{counts.NoKey} without a key, {counts.AuthenticationFailures} failed authentication");
            return counts.AuthenticationFailures == 0 ? 0 : 4;
        }));
        return command;
    }

    private static Argument<string> CaptureArgument() => new("capture") { Description = "A pcap file (Ethernet, Linux cooked or raw IP)" };

    private static (Option<string> Ports, Option<ushort?> HandshakePort) PortOptions() =>
        (new Option<string>("--ports") { Description = $"The server's session port range [default: {Defaults.Ports}]", HelpName = "FIRST-LAST" },
         new Option<ushort?>("--handshake-port") { Description = $"The server's TCP handshake port [default: {Defaults.HandshakePort}]", HelpName = "PORT" });

    private static CaptureOptions CaptureOptionsFrom(string? ports, ushort? handshakePort)
    {
        var (first, last) = new SettingValue(ports ?? Defaults.Ports, "--ports").Parse(SettingParsers.PortRange, default);
        return new CaptureOptions(handshakePort ?? Defaults.HandshakePort, first, last);
    }
}
