namespace MyVpn.Linux.Interop;

/// <summary>
/// The C library calls the Linux host makes, one per file (<c>LibC.Read.cs</c>, <c>LibC.Epoll.cs</c>…),
/// each a source-generated <c>[LibraryImport]</c> that records errno. Callers turn a failure into an
/// <see cref="ErrnoException"/> naming the call.
/// </summary>
internal static partial class LibC
{
    /// <summary>glibc's soname; plain "libc" would first find Debian's linker script.</summary>
    internal const string Library = "libc.so.6";
}
