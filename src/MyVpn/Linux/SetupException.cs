namespace MyVpn.Linux;

/// <summary>
/// Setting up the host failed; the message is one line that says what and where
/// (for example "nft: cannot add table myvpn_tun0: Operation not permitted"). The CLI prints it and exits 1.
/// </summary>
internal sealed class SetupException(string message, Exception? inner = null) : Exception(message, inner);
