using MyVpn.Tunnel;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MyVpn.Protocol;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// SIGUSR1 makes the daemon log one status line: packets dropped by reason, and the runtime's garbage
/// collection counts and bytes allocated since start. Two lines taken around a transfer show whether the
/// data path allocates per packet (it should not: the counts stay put while gigabytes go through);
/// bench/compare.sh and the real-kernel suite read them that way. Debugging aid, off the data path.
/// </summary>
internal sealed partial class StatusSignal : IDisposable
{
    /// <summary>SIGUSR1 on Linux; .NET takes raw signal numbers cast to <see cref="PosixSignal"/>.</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    private readonly PosixSignalRegistration _registration;

    public StatusSignal(ILogger logger, DropCounters drops)
    {
        _registration = PosixSignalRegistration.Create(SigUsr1, context =>
        {
            context.Cancel = true;
            var text = drops.ToString();
            LogStatus(logger, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
                GC.GetTotalAllocatedBytes(precise: true), text.Length == 0 ? "none" : text);
        });
    }

    public void Dispose() => _registration.Dispose();

    [LoggerMessage(EventId = 120, Level = LogLevel.Information,
        Message = "status: gc gen0 {Gen0} gen1 {Gen1} gen2 {Gen2}, allocated {Allocated} bytes since start; drops: {Drops}")]
    private static partial void LogStatus(ILogger logger, int gen0, int gen1, int gen2, long allocated, string drops);
}
