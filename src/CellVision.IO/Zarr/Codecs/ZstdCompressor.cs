using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.IO.Native;

namespace CellVision.IO.Zarr.Codecs;

/// <summary>One Zstandard frame per chunk, as numcodecs <c>Zstd</c> (through Debian's libzstd1).</summary>
/// <param name="Level">Compression level; 0 means libzstd's default (numcodecs default 0).</param>
/// <param name="Checksum">Whether frames carry a checksum. Frames with checksums are read either way; writing one is not supported.</param>
public sealed record ZstdCompressor(int Level = 0, bool Checksum = false) : ZarrCompressor
{
    /// <inheritdoc />
    public override string Id => "zstd";

    /// <inheritdoc />
    public override byte[] Encode(ReadOnlySpan<byte> data, int elementSize)
    {
        var length = EncodePooled(data, elementSize, out var pooled);
        var result = pooled.AsSpan(0, length).ToArray();
        System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
        return result;
    }

    /// <inheritdoc />
    internal override unsafe int EncodePooled(ReadOnlySpan<byte> data, int elementSize, out byte[] pooled)
    {
        if (Checksum)
        {
            throw new NotSupportedException("Writing zstd frames with checksums is not supported; use Checksum = false.");
        }

        var bound = ZstdMethods.ZSTD_compressBound((nuint)data.Length);
        pooled = System.Buffers.ArrayPool<byte>.Shared.Rent((int)bound);
        nuint written;
        fixed (byte* src = data)
        fixed (byte* dst = pooled)
        {
            written = ZstdMethods.ZSTD_compress(dst, bound, src, (nuint)data.Length, Level);
        }

        if (ZstdMethods.ZSTD_isError(written) != 0)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            ThrowIfError(written);
        }

        return (int)written;
    }

    /// <inheritdoc />
    public override unsafe void Decode(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        fixed (byte* src = encoded)
        fixed (byte* dst = destination)
        {
            var declared = ZstdMethods.ZSTD_getFrameContentSize(src, (nuint)encoded.Length);
            if (declared == ZstdMethods.ContentSizeError)
            {
                throw new InvalidDataException("The chunk is not a valid zstd frame.");
            }

            if (declared != ZstdMethods.ContentSizeUnknown && declared != (ulong)destination.Length)
            {
                throw new InvalidDataException($"The zstd frame declares {declared} bytes but the chunk holds {destination.Length}.");
            }

            var written = ZstdMethods.ZSTD_decompress(dst, (nuint)destination.Length, src, (nuint)encoded.Length);
            ThrowIfError(written);
            if (written != (nuint)destination.Length)
            {
                throw new InvalidDataException($"The zstd frame decodes to {written} bytes but the chunk holds {destination.Length} (truncated chunk).");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>"checksum" is written only when true: numcodecs before 0.13 refuses the key.</remarks>
    public override JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id, ["level"] = Level };
        if (Checksum)
        {
            json["checksum"] = true;
        }

        return json;
    }

    private static void ThrowIfError(nuint code)
    {
        if (ZstdMethods.ZSTD_isError(code) != 0)
        {
            throw new InvalidDataException($"zstd: {Marshal.PtrToStringUTF8(ZstdMethods.ZSTD_getErrorName(code))}.");
        }
    }
}
