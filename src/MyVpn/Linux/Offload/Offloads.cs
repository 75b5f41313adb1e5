using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Which kernel offloads the Linux host may use, and what the kernel granted: TSO and checksum
/// offload on the tun device (IFF_VNET_HDR + TUNSETOFFLOAD), UDP GSO (<c>UDP_SEGMENT</c>) and UDP GRO
/// (<c>UDP_GRO</c>). A feature the kernel refuses is off for the run, logged once at Information.
/// <see cref="Enabled"/> false (<c>--no-offload</c>) uses none of them: the plain read/write and
/// recvmmsg/sendmmsg paths.
/// </summary>
internal sealed partial class Offloads
{
    /// <summary>No offloads, nothing logged (tests and tools that open devices directly).</summary>
    public static Offloads None => new(false, NullLogger.Instance);

    private readonly ILogger _logger;
    private int _gsoRefusedLogged;
    private int _groRefusedLogged;

    public Offloads(bool enabled, ILogger logger)
    {
        Enabled = enabled;
        _logger = logger;
        UdpGso = enabled;
        UdpGro = enabled;
    }

    /// <summary>Asked for by the user (no <c>--no-offload</c>).</summary>
    public bool Enabled { get; }

    /// <summary>Send with UDP_SEGMENT (cleared when the kernel refuses it).</summary>
    public bool UdpGso { get; private set; }

    /// <summary>Receive with UDP_GRO (cleared when the kernel refuses it).</summary>
    public bool UdpGro { get; private set; }

    /// <summary>What the tun device got, for the summary line ("off", "TSO4 + checksum", or why not).</summary>
    public string TunStatus { get; set; } = "off";

    private string _gsoStatus = "off";
    private string _groStatus = "off";

    /// <summary>Probes UDP_SEGMENT and UDP_GRO on a throw-away socket, as wireguard-go does.</summary>
    public void ProbeUdp()
    {
        if (!Enabled)
            return;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var value = new byte[4];
        try
        {
            socket.GetRawSocketOption(UdpOptions.SOL_UDP, UdpOptions.UDP_SEGMENT, value);
            _gsoStatus = "on";
        }
        catch (SocketException e)
        {
            UdpGso = false;
            _gsoStatus = $"off ({e.SocketErrorCode})";
        }
        if (UdpOptions.TryEnableGro(socket, out var error))
            _groStatus = "on";
        else
        {
            UdpGro = false;
            _groStatus = $"off ({Errno.Name(error)})";
        }
    }

    /// <summary>The one line that says which offloads this run uses.</summary>
    public void LogSummary()
    {
        if (Enabled)
            OffloadLog.Summary(_logger, TunStatus, _gsoStatus, _groStatus);
        else
            OffloadLog.Disabled(_logger);
    }

    /// <summary>A socket's UDP GSO send failed in a way that says the path cannot take it: off from now on.</summary>
    public void GsoRefused(int errno)
    {
        UdpGso = false;
        if (Interlocked.Exchange(ref _gsoRefusedLogged, 1) == 0)
            OffloadLog.GsoRefused(_logger, Errno.Name(errno));
    }

    /// <summary>A socket could not enable UDP_GRO: that socket receives datagram by datagram.</summary>
    public void GroRefused(int errno)
    {
        if (Interlocked.Exchange(ref _groRefusedLogged, 1) == 0)
            OffloadLog.GroRefused(_logger, Errno.Name(errno));
    }

    private static partial class OffloadLog
    {
        [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "offloads: tun {Tun}, UDP GSO {Gso}, UDP GRO {Gro}")]
        public static partial void Summary(ILogger logger, string tun, string gso, string gro);

        [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "offloads: off (--no-offload / offload = false)")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(EventId = 132, Level = LogLevel.Information, Message = "offloads: UDP GSO off from now on: the kernel refused a segmented send ({Error}); sending datagram by datagram")]
        public static partial void GsoRefused(ILogger logger, string error);

        [LoggerMessage(EventId = 133, Level = LogLevel.Information, Message = "offloads: UDP GRO off on a socket: setsockopt(UDP_GRO) failed ({Error})")]
        public static partial void GroRefused(ILogger logger, string error);
    }
}
