using System.IO.Compression;
using System.Text.Json.Nodes;

namespace CellVision.IO.Zarr.Codecs;

/// <summary>zlib (RFC 1950) streams, as numcodecs <c>Zlib</c>.</summary>
/// <param name="Level">Compression level 0–9 (numcodecs default 1).</param>
public sealed record ZlibCompressor(int Level = 1) : ZarrCompressor
{
    /// <inheritdoc />
    public override string Id => "zlib";

    /// <inheritdoc />
    public override byte[] Encode(ReadOnlySpan<byte> data, int elementSize)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = DeflateLevels.Check(Level) }))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <inheritdoc />
    public override unsafe void Decode(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        fixed (byte* p = encoded)
        {
            using var input = new UnmanagedMemoryStream(p, encoded.Length);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            DeflateLevels.ReadExactly(zlib, destination, "zlib");
        }
    }

    /// <inheritdoc />
    public override JsonObject ToJson() => new() { ["id"] = Id, ["level"] = Level };
}

/// <summary>gzip (RFC 1952) members, as numcodecs <c>GZip</c>.</summary>
/// <param name="Level">Compression level 0–9 (numcodecs default 1).</param>
public sealed record GzipCompressor(int Level = 1) : ZarrCompressor
{
    /// <inheritdoc />
    public override string Id => "gzip";

    /// <inheritdoc />
    public override byte[] Encode(ReadOnlySpan<byte> data, int elementSize)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = DeflateLevels.Check(Level) }))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <inheritdoc />
    public override unsafe void Decode(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        fixed (byte* p = encoded)
        {
            using var input = new UnmanagedMemoryStream(p, encoded.Length);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            DeflateLevels.ReadExactly(gzip, destination, "gzip");
        }
    }

    /// <inheritdoc />
    public override JsonObject ToJson() => new() { ["id"] = Id, ["level"] = Level };
}

/// <summary>Shared checks of the deflate-based compressors.</summary>
internal static class DeflateLevels
{
    internal static int Check(int level) => level is >= 0 and <= 9
        ? level
        : throw new ArgumentOutOfRangeException(nameof(level), level, "Deflate levels run from 0 to 9.");

    /// <summary>Fills <paramref name="destination"/> and checks that the stream holds nothing more (a decompression bomb stops here).</summary>
    internal static void ReadExactly(Stream stream, Span<byte> destination, string codec)
    {
        try
        {
            var read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            if (read < destination.Length)
            {
                throw new InvalidDataException($"The {codec} chunk decodes to {read} bytes but the chunk holds {destination.Length} (truncated chunk).");
            }

            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                throw new InvalidDataException($"The {codec} chunk decodes to more than the {destination.Length} bytes of a chunk (over-long chunk).");
            }
        }
        catch (IOException exception)
        {
            throw new InvalidDataException($"The {codec} chunk is corrupt: {exception.Message}", exception);
        }
    }
}
