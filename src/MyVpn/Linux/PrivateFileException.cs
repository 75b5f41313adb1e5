namespace MyVpn.Linux;

/// <summary>A file refused as a holder of secrets; the message is one line that says why and how to fix it.</summary>
internal sealed class PrivateFileException(string message) : IOException(message);
