using System.Text.Json.Nodes;
using CellVision.IO.Native;

namespace CellVision.IO.Zarr.Codecs;

/// <summary>Blosc shuffle filters, with numcodecs' codes.</summary>
public enum BloscShuffle
{
    /// <summary>Byte shuffle unless elements are single bytes, then bit shuffle (numcodecs AUTOSHUFFLE).</summary>
    Auto = -1,

    /// <summary>No shuffle.</summary>
    None = 0,

    /// <summary>Byte shuffle (numcodecs default).</summary>
    Byte = 1,

    /// <summary>Bit shuffle.</summary>
    Bit = 2,
}

/// <summary>Blosc 1.x frames, as numcodecs <c>Blosc</c> (through Debian's libblosc1).</summary>
/// <param name="CompressorName">Inner codec: "lz4" (default), "lz4hc", "blosclz", "zstd" or "zlib".</param>
/// <param name="Level">Compression level 0–9 (default 5).</param>
/// <param name="Shuffle">Shuffle filter (default byte shuffle).</param>
/// <param name="BlockSize">Block size in bytes; 0 lets Blosc choose (default).</param>
public sealed record BloscCompressor(string CompressorName = "lz4", int Level = 5, BloscShuffle Shuffle = BloscShuffle.Byte, int BlockSize = 0) : ZarrCompressor
{
    private const int Overhead = 16;
    private static readonly string[] Names = ["lz4", "lz4hc", "blosclz", "zstd", "zlib"];

    /// <inheritdoc />
    public override string Id => "blosc";

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
        Validate();
        var shuffle = Shuffle == BloscShuffle.Auto ? (elementSize == 1 ? BloscShuffle.Bit : BloscShuffle.Byte) : Shuffle;
        pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(data.Length + Overhead);
        int written;
        fixed (byte* src = data)
        fixed (byte* dst = pooled)
        {
            written = BloscMethods.blosc_compress_ctx(Level, (int)shuffle, (nuint)elementSize, (nuint)data.Length, src, dst, (nuint)(data.Length + Overhead), CompressorName, (nuint)BlockSize, 1);
        }

        if (written <= 0)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            throw new InvalidOperationException($"Blosc could not compress a {data.Length}-byte chunk (code {written}).");
        }

        return written;
    }

    /// <inheritdoc />
    public override unsafe void Decode(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        if (encoded.Length < Overhead)
        {
            throw new InvalidDataException($"The blosc chunk has {encoded.Length} bytes, fewer than its 16-byte header (truncated chunk).");
        }

        fixed (byte* src = encoded)
        fixed (byte* dst = destination)
        {
            BloscMethods.blosc_cbuffer_sizes(src, out var uncompressed, out var compressed, out _);
            if (uncompressed != (nuint)destination.Length)
            {
                throw new InvalidDataException($"The blosc header declares {uncompressed} bytes but the chunk holds {destination.Length}.");
            }

            if (compressed != (nuint)encoded.Length)
            {
                throw new InvalidDataException($"The blosc header declares {compressed} stored bytes but the chunk file has {encoded.Length} ({(compressed > (nuint)encoded.Length ? "truncated" : "over-long")} chunk).");
            }

            var written = BloscMethods.blosc_decompress_ctx(src, dst, (nuint)destination.Length, 1);
            if (written != destination.Length)
            {
                throw new InvalidDataException($"The blosc chunk is corrupt (decoder returned {written}).");
            }
        }
    }

    /// <inheritdoc />
    public override JsonObject ToJson() => new() { ["id"] = Id, ["cname"] = CompressorName, ["clevel"] = Level, ["shuffle"] = (int)Shuffle, ["blocksize"] = BlockSize };

    private void Validate()
    {
        if (!Names.Contains(CompressorName))
        {
            throw new ArgumentException($"Blosc compressor '{CompressorName}' is not one of {string.Join(", ", Names)}.", nameof(CompressorName));
        }

        if (Level is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(Level), Level, "Blosc levels run from 0 to 9.");
        }
    }
}
