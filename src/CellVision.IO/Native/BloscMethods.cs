using System.Runtime.InteropServices;

namespace CellVision.IO.Native;

/// <summary>The thread-safe (context) entry points of c-blosc 1.x.</summary>
internal static unsafe partial class BloscMethods
{
    [LibraryImport(CompressionLibraries.Blosc)]
    internal static partial int blosc_compress_ctx(int clevel, int doshuffle, nuint typesize, nuint nbytes, void* src, void* dest, nuint destsize, [MarshalAs(UnmanagedType.LPUTF8Str)] string compressor, nuint blocksize, int numinternalthreads);

    [LibraryImport(CompressionLibraries.Blosc)]
    internal static partial int blosc_decompress_ctx(void* src, void* dest, nuint destsize, int numinternalthreads);

    [LibraryImport(CompressionLibraries.Blosc)]
    internal static partial void blosc_cbuffer_sizes(void* cbuffer, out nuint nbytes, out nuint cbytes, out nuint blocksize);
}
