using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// The client's view of the server's name in the simulator: each lookup answers at once from the network's
/// name table (<see cref="SimNetwork.SetName"/>), so a scenario can move the server and change the name.
/// </summary>
internal sealed class SimResolver(SimNetwork network, string name, ushort port) : IServerResolver
{
    public string Name => $"{name}:{port}";

    public void Resolve(Action<ServerLookup> done)
    {
        var label = Name;
        done(network.LookUp(name) is { } address
            ? ServerLookup.Found(label, [new NetEndpoint(address, port)])
            : ServerLookup.Failed(label, "Name or service not known"));
    }
}
