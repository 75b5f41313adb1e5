using System.CommandLine;

namespace MyVpn.Cli;

/// <summary>The <c>myvpn</c> command line: genkey, server and client (System.CommandLine).</summary>
internal static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand($"""
            MyVpn: a small VPN for Linux. IP packets go through a tun device, encrypted with AES-256-GCM
            over UDP; a TCP handshake authenticates each client with a pre-shared 256-bit key.

            Quick start:
              myvpn genkey -o psk.key                                      (copy psk.key to the client)
              myvpn server --key-file psk.key --masquerade eth0            (on the server, as root)
              myvpn client --server SERVER:{Defaults.HandshakePort} --key-file psk.key --default-route   (as root)
            """);
        root.Subcommands.Add(GenkeyCommand.Build());
        root.Subcommands.Add(ServerCommand.Build());
        root.Subcommands.Add(ClientCommand.Build());
        root.Subcommands.Add(PcapCommand.Build());
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(ReloadCommand.Build());
        return root;
    }

    public static int Run(string[] args)
    {
        // No termination timeout: the daemon handles SIGINT/SIGTERM itself and must finish cleaning up.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return Build().Parse(args).Invoke(invocation);
    }
}
