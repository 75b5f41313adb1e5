namespace MyVpn.Io;

/// <summary>The port could not be bound (already in use, or not allowed).</summary>
public sealed class PortUnavailableException(ushort port, string reason)
    : Exception($"UDP port {port} is not available: {reason}")
{
    public ushort Port { get; } = port;
}
