using System.Runtime.InteropServices;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// SIGHUP asks for a reload. The handler only hands the work on (the server posts a reload to its main
/// thread; the client logs that it does not reload); without it SIGHUP's default action would end the process.
/// </summary>
internal sealed class ReloadSignal : IDisposable
{
    private readonly PosixSignalRegistration _registration;

    public ReloadSignal(Action onSignal)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            onSignal();
        });
    }

    public void Dispose() => _registration.Dispose();
}
