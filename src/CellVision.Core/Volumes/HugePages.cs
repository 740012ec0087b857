using System.Runtime.InteropServices;

namespace CellVision.Core.Volumes;

/// <summary>
/// Asks Linux to back a large buffer with transparent huge pages before it is first written, as NumPy does for its
/// large arrays. Writing fresh memory costs a page fault per 4 KiB page; with 2 MiB pages a 32 MiB result takes 16
/// faults instead of 8,192, which on virtual machines is most of a fast kernel's first-call time. Elsewhere, or when
/// the kernel's transparent huge pages are switched off, this does nothing.
/// </summary>
/// <example>
/// <code>
/// var result = GC.AllocateUninitializedArray&lt;double&gt;(length);
/// HugePages.Advise&lt;double&gt;(result);   // before the first write
/// </code>
/// </example>
public static partial class HugePages
{
    /// <summary>Buffers smaller than this (4 MiB) are left alone.</summary>
    public const long MinimumBytes = 4L << 20;

    private const nint HugePageSize = 2 << 20;
    private const int AdviseHugePage = 14;

    private static volatile bool available = true;

    /// <summary>
    /// Advises huge pages for the whole 2 MiB pages inside <paramref name="buffer"/> when it holds at least
    /// <see cref="MinimumBytes"/>; the advice is only a hint, so failures are ignored. Pages already written stay as
    /// they are.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="buffer">Memory that will not move while it is written (a large array, native or pinned memory).</param>
    public static unsafe void Advise<T>(Span<T> buffer)
        where T : unmanaged
    {
        var bytes = (long)buffer.Length * sizeof(T);
        if (bytes < MinimumBytes || !OperatingSystem.IsLinux())
        {
            return;
        }

        fixed (T* pointer = buffer)
        {
            var start = ((nint)pointer + HugePageSize - 1) & ~(HugePageSize - 1);
            var end = ((nint)pointer + (nint)bytes) & ~(HugePageSize - 1);
            if (end > start && available)
            {
                try
                {
                    _ = MemoryAdvise(start, (nuint)(end - start), AdviseHugePage);
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                    // A C library without madvise: the advice is only a hint, so stop asking.
                    available = false;
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int MemoryAdvise(nint address, nuint length, int advice);
}
