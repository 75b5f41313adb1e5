using Microsoft.Extensions.Logging;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Cli;

/// <summary>Parsers for the values settings take; each throws <see cref="FormatException"/> saying what is expected.</summary>
internal static class SettingParsers
{
    public static (ushort First, ushort Last) PortRange(string text)
    {
        var parts = text.Split('-');
        if (parts.Length != 2 || !ushort.TryParse(parts[0], out var first) || !ushort.TryParse(parts[1], out var last)
            || first == 0 || first > last)
            throw new FormatException($"expected a port range FIRST-LAST such as {Defaults.Ports}");
        return (first, last);
    }

    public static string InterfaceName(string text)
    {
        if (text.Length is 0 or > 15 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new FormatException("expected an interface name of 1 to 15 letters, digits, '_', '-' or '.'");
        return text;
    }

    /// <summary>A client name as the handshake carries it: 1 to 64 bytes of UTF-8.</summary>
    public static string ClientName(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (string.IsNullOrWhiteSpace(text) || bytes > HandshakeMessage.MaxNameLength)
            throw new FormatException($"a client name is 1 to {HandshakeMessage.MaxNameLength} bytes of UTF-8");
        return text;
    }

    /// <summary>A full tunnel's firewall mark and routing table: 1 to 2147483647, not a table the kernel reserves (253 to 255).</summary>
    public static uint FirewallMark(string text)
    {
        if (!uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mark)
            || mark is 0 or > int.MaxValue or (>= 253 and <= 255))
            throw new FormatException("expected a firewall mark and table number from 1 to 2147483647, not 253 to 255 (the kernel's default, main and local tables)");
        return mark;
    }

    /// <summary>"auto" (null: decided from the number of CPUs) or 1 to 16 I/O threads.</summary>
    public static int? Threads(string text)
    {
        if (text == "auto")
            return null;
        if (!int.TryParse(text, out var threads) || threads is < 1 or > 16)
            throw new FormatException("expected 'auto' or a number of I/O threads from 1 to 16");
        return threads;
    }

    /// <summary>The cap on shared-key sessions: 1 to 65535.</summary>
    public static int MaxSessions(string text)
    {
        if (!int.TryParse(text, out var sessions) || sessions is < 1 or > 65535)
            throw new FormatException("expected a number of sessions from 1 to 65535");
        return sessions;
    }

    public static int Mtu(string text)
    {
        if (!int.TryParse(text, out var mtu) || mtu is < 576 or > 9000)
            throw new FormatException("expected an MTU between 576 and 9000");
        return mtu;
    }

    public static TimeSpan Seconds(string text)
    {
        if (!int.TryParse(text, out var seconds) || seconds is < 1 or > 3600)
            throw new FormatException("expected a whole number of seconds between 1 and 3600");
        return TimeSpan.FromSeconds(seconds);
    }

    public static NetEndpoint ListenEndpoint(string text) => text.Contains(':')
        ? NetEndpoint.Parse(text)
        : new NetEndpoint(IPv4Address.Parse(text), Defaults.HandshakePort);

    /// <summary>ADDRESS:PORT (or ADDRESS, on <see cref="Defaults.MetricsPort"/>) for the metrics endpoint.</summary>
    public static NetEndpoint MetricsEndpoint(string text)
    {
        try
        {
            var endpoint = text.Contains(':') ? NetEndpoint.Parse(text) : new NetEndpoint(IPv4Address.Parse(text), Defaults.MetricsPort);
            if (endpoint.Port != 0)
                return endpoint;
        }
        catch (FormatException)
        {
        }
        throw new FormatException($"expected ADDRESS:PORT such as 127.0.0.1:{Defaults.MetricsPort}");
    }

    public static LogLevel LogLevel(string text) => text.ToLowerInvariant() switch
    {
        "trace" => Microsoft.Extensions.Logging.LogLevel.Trace,
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" or "information" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" or "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => throw new FormatException("expected trace, debug, info, warning or error"),
    };
}
