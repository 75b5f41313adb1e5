using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>A route as <c>ip route</c> takes it: a destination, an optional gateway and a device.</summary>
internal sealed record KernelRoute(string Destination, IPv4Address? Gateway, string Device)
{
    public IReadOnlyList<string> Arguments =>
        Gateway is { } gateway ? [Destination, "via", gateway.ToString(), "dev", Device] : [Destination, "dev", Device];

    public override string ToString() => string.Join(' ', Arguments);
}
