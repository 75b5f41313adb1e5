using System.CommandLine;

namespace MyVpn.Cli;

/// <summary><c>--keylog FILE</c>, shared by server and client: a debugging aid, like SSLKEYLOGFILE.</summary>
internal static class KeyLogOption
{
    public static Option<string> Create() => new("--keylog")
    {
        Description = "Append every session's data keys to FILE (mode 0600), so `myvpn pcap decrypt` can open a capture. "
            + "Anyone who reads FILE can decrypt that traffic: for debugging only",
        HelpName = "FILE",
    };
}
