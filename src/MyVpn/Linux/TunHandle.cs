using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// An open <c>/dev/net/tun</c> descriptor attached to one interface. Closing it removes the
/// interface unless it was made persistent, which is why a crashed daemon leaves no tun device behind.
/// </summary>
internal sealed class TunHandle(int fd) : FileDescriptorHandle(fd);
