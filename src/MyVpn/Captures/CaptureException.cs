namespace MyVpn.Captures;

/// <summary>A capture or key log that cannot be used, with a message that says why.</summary>
public sealed class CaptureException(string message) : Exception(message);
