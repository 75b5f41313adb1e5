using System.Globalization;
using MyVpn.Doctor;

namespace MyVpn.Linux.Doctor;

/// <summary>Reads an interface's facts from /sys/class/net/NAME: <c>flags</c> (IFF_UP) and <c>mtu</c>.</summary>
internal static class InterfaceReader
{
    private const int IffUp = 0x1;

    public static InterfaceFacts Read(string name)
    {
        var directory = $"/sys/class/net/{name}";
        if (name.Contains('/', StringComparison.Ordinal) || !System.IO.Directory.Exists(directory))
            return InterfaceFacts.Missing(name);
        try
        {
            var flags = Convert.ToInt32(File.ReadAllText($"{directory}/flags").Trim(), 16);
            var mtu = int.Parse(File.ReadAllText($"{directory}/mtu").Trim(), CultureInfo.InvariantCulture);
            return new InterfaceFacts(name, true, (flags & IffUp) != 0, mtu);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return InterfaceFacts.Missing(name);
        }
    }
}
