using System.Runtime.InteropServices;

namespace MyVpn.Cli.Hosting;

/// <summary>SIGINT and SIGTERM ask the daemon to stop cleanly (undo its routes, NAT and tun device) instead of dying.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private readonly CancellationTokenSource _requested = new();

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled when a stop was asked for.</summary>
    public CancellationToken Token => _requested.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we exit ourselves, after cleaning up
        _requested.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
