using MyVpn.Protocol;

namespace MyVpn.Server;

/// <remarks>
/// What the server pushes (routes, DNS) starts as <see cref="VpnServerOptions.Pushed"/>; a reload may
/// replace it. Every grant takes the one in force when it is made, so a session gets a change at its
/// next handshake: its next rekey, within the rekey interval.
/// </remarks>
public sealed partial class VpnServer
{
    private PushedSettings? _pushedOverride;

    /// <summary>The routes and DNS settings the next grant carries.</summary>
    public PushedSettings Pushed => Volatile.Read(ref _pushedOverride) ?? _options.Pushed;

    /// <summary>Replaces what grants push from now on; sessions up get it at their next rekey.</summary>
    public void UpdatePushed(PushedSettings pushed)
    {
        ArgumentNullException.ThrowIfNull(pushed);
        Volatile.Write(ref _pushedOverride, pushed);
    }
}
