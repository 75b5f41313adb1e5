using MyVpn.Linux;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;

namespace MyVpn.Cli.Hosting;

/// <summary>Opens the tun device and turns a kernel refusal into one line that says what to do.</summary>
internal static class TunOpener
{
    public static LinuxTunDevice Open(string name, Offloads offloads)
    {
        try
        {
            return LinuxTunDevice.Open(name, offloads);
        }
        catch (ErrnoException e) when (e.Number == Errno.EBUSY)
        {
            throw new SetupException($"tun device {name} is in use by another process ({e.Message})", e);
        }
        catch (ErrnoException e)
        {
            throw new SetupException($"cannot create tun device {name}: {e.Message}", e);
        }
    }
}
