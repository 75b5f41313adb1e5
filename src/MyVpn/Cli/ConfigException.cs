namespace MyVpn.Cli;

/// <summary>A setting is missing or wrong; the message says which and where (file and key, or flag).</summary>
internal sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);
