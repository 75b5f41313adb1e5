using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary>Owns a file descriptor and closes it once, when the last user releases it.</summary>
internal class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number, for <c>poll</c>; valid while the handle is open.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
