using System.Runtime.InteropServices;

namespace CellVision.IO.Native;

/// <summary>The one-shot entry points of libzstd.</summary>
internal static unsafe partial class ZstdMethods
{
    /// <summary>ZSTD_CONTENTSIZE_UNKNOWN.</summary>
    internal const ulong ContentSizeUnknown = unchecked((ulong)-1);

    /// <summary>ZSTD_CONTENTSIZE_ERROR.</summary>
    internal const ulong ContentSizeError = unchecked((ulong)-2);

    [LibraryImport(CompressionLibraries.Zstd)]
    internal static partial nuint ZSTD_compress(void* dst, nuint dstCapacity, void* src, nuint srcSize, int compressionLevel);

    [LibraryImport(CompressionLibraries.Zstd)]
    internal static partial nuint ZSTD_decompress(void* dst, nuint dstCapacity, void* src, nuint compressedSize);

    [LibraryImport(CompressionLibraries.Zstd)]
    internal static partial ulong ZSTD_getFrameContentSize(void* src, nuint srcSize);

    [LibraryImport(CompressionLibraries.Zstd)]
    internal static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(CompressionLibraries.Zstd)]
    internal static partial uint ZSTD_isError(nuint code);

    [LibraryImport(CompressionLibraries.Zstd)]
    internal static partial nint ZSTD_getErrorName(nuint code);
}
