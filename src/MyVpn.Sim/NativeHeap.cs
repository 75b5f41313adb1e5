using System.Runtime.InteropServices;

namespace MyVpn.Sim;

/// <summary>
/// The bytes in use on the C heap (glibc's <c>mallinfo2</c>: allocated small chunks plus mmapped
/// blocks, every arena summed): where libcrypto keeps a session's cipher contexts, which the GC's
/// figures do not see. For measurements only, never for a decision of the simulated world.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Bytes malloc has handed out and not had back, or null where glibc's <c>mallinfo2</c> is missing.</summary>
    public static long? BytesInUse()
    {
        try
        {
            var info = MallInfo2();
            return (long)(info.Uordblks + info.Hblkhd);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo MallInfo2();

    /// <summary>glibc's <c>struct mallinfo2</c>: ten size_t fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo
    {
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
    }
}
