using MyVpn.Linux;
using MyVpn.Linux.Interop;

namespace MyVpn.Cli.Hosting;

/// <summary>The daemon creates a tun device, routes and NAT rules: it needs root, and says so up front.</summary>
internal static class RootCheck
{
    public static void Require(string command)
    {
        if (LibC.GetEffectiveUserId() != 0)
            throw new SetupException($"myvpn {command} must run as root (it creates a tun device, routes and NAT rules)");
        if (!File.Exists("/dev/net/tun"))
            throw new SetupException("/dev/net/tun is missing: load the tun module (modprobe tun) or give the container the device");
    }
}
