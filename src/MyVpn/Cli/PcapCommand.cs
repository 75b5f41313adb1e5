using System.CommandLine;
using MyVpn.Captures;
using MyVpn.Cli.Hosting;

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
        var command = new Command("pcap", $"""
            Inspect or decrypt a capture of MyVpn traffic (from tcpdump -w); no root needed.
            Reads pcap files of link type Ethernet, Linux cooked (SLL) or raw IP. MyVpn traffic is found by port:
            TCP to or from the handshake port (handshakes), UDP to or from the session port range (data packets).
            Exit status: 0 all well, 4 the capture shows a problem, 1 a file cannot be read or written.
            e.g. tcpdump -i eth0 -w wan.pcap 'tcp port {Defaults.HandshakePort} or udp portrange {Defaults.Ports}'
            """);
        command.Subcommands.Add(BuildInspect());
        command.Subcommands.Add(BuildDecrypt());
        return command;
    }

    private static Command BuildInspect()
    {
        var file = CaptureArgument();
        var (ports, handshakePort) = PortOptions();
        var command = new Command("inspect", """
            List the handshakes and sessions in a capture and check every data packet's shape and IV.
            Reports each handshake connection (client -> server) with its messages in order and their body
            lengths, or what is malformed; each session (by session id and server port) with its client
            endpoints and, per direction, the packets, bytes and keepalives, and whether any IV repeats; and
            each UDP flow on a session port that is not MyVpn (too short, or IV bytes 12-15 not zero).
            Exit status: 0 clean; 4 a repeated IV, a malformed handshake or a flow that is not MyVpn;
            1 the capture cannot be read (missing, truncated, unsupported link type).
            """)
        {
            file, ports, handshakePort,
        };
        command.SetAction(result => CommandErrors.Run("pcap inspect", () =>
        {
            var options = CaptureOptionsFrom(result.GetValue(ports), result.GetValue(handshakePort));
            var report = CaptureInspector.Inspect(CaptureReader.Read(result.GetRequiredValue(file)), options);
            Console.Out.Write(report.ToString());
            return report.IsClean ? ExitCodes.Ok : ExitCodes.CaptureProblem;
        }));
        return command;
    }

    private static Command BuildDecrypt()
    {
        var file = CaptureArgument();
        var keyLog = new Option<string>("--keylog") { Description = "The key log the daemon wrote with --keylog", HelpName = "FILE", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the inner packets (raw-IP pcap)", HelpName = "FILE", Required = true };
        var (ports, handshakePort) = PortOptions();
        var command = new Command("decrypt", """
            Decrypt the data packets of a capture with a key log (written by server or client with --keylog).
            The inner IP packets go to a new pcap (link type raw IP) with their original timestamps; a packet
            that crosses the server twice (client to client) appears once per tunnel leg. Handshake messages
            are not decrypted (their keys are not logged). Reports how many data packets were decrypted,
            how many were keepalives (authenticated, nothing to write), how many had no key in the log and
            how many failed authentication (never written); and, if any, how many were rekey requests
            (authenticated one-byte control messages, not written). Several session ids per port (one per
            rekey) are fine: each has its own keys in the log.
            Exit status: 0 every packet with a key opened; 4 some failed authentication; 1 the capture or
            key log cannot be read, or the output cannot be written.
            """)
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
                + $"{counts.NoKey} without a key, {counts.AuthenticationFailures} failed authentication"
                + (counts.RekeyRequests > 0 ? $"; {counts.RekeyRequests} rekey requests" : ""));
            return counts.AuthenticationFailures == 0 ? ExitCodes.Ok : ExitCodes.CaptureProblem;
        }));
        return command;
    }

    private static Argument<string> CaptureArgument() => new("capture") { Description = "A pcap file (Ethernet, Linux cooked or raw IP)" };

    private static (Option<string> Ports, Option<ushort?> HandshakePort) PortOptions() =>
        (new Option<string>("--ports") { Description = $"The server's session port range [default: {Defaults.Ports}]", HelpName = "FIRST-LAST" },
         new Option<ushort?>("--handshake-port") { Description = $"The server's TCP handshake port [default: {Defaults.HandshakePort}]", HelpName = "PORT" });

    private static CaptureOptions CaptureOptionsFrom(string? ports, ushort? handshakePort)
    {
        var (first, last) = new SettingValue(ports, "--ports").Parse(SettingParsers.PortRange, (Defaults.FirstPort, Defaults.LastPort));
        return new CaptureOptions(handshakePort ?? Defaults.HandshakePort, first, last);
    }
}
