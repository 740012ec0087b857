using System.Text.Json.Nodes;

namespace CellVision.IO.Zarr.Codecs;

/// <summary>
/// A chunk compressor, written to v2 metadata as numcodecs writes it (<c>{"id": "blosc", …}</c>). Instances are
/// immutable and thread-safe.
/// </summary>
public abstract record ZarrCompressor
{
    /// <summary>The numcodecs id ("zlib", "gzip", "zstd", "blosc").</summary>
    public abstract string Id { get; }

    /// <summary>zarr-python 2's default: Blosc with LZ4, level 5, byte shuffle.</summary>
    public static ZarrCompressor Default { get; } = new BloscCompressor();

    /// <summary>Compresses one chunk.</summary>
    /// <param name="data">The raw chunk bytes.</param>
    /// <param name="elementSize">Bytes per element (for shuffling).</param>
    public abstract byte[] Encode(ReadOnlySpan<byte> data, int elementSize);

    /// <summary>Compresses one chunk into a buffer rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>; returns the encoded length.</summary>
    /// <param name="data">The raw chunk bytes.</param>
    /// <param name="elementSize">Bytes per element.</param>
    /// <param name="pooled">The rented buffer holding the encoded bytes; return it when done.</param>
    internal virtual int EncodePooled(ReadOnlySpan<byte> data, int elementSize, out byte[] pooled)
    {
        var encoded = Encode(data, elementSize);
        pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(encoded.Length);
        encoded.CopyTo(pooled, 0);
        return encoded.Length;
    }

    /// <summary>Decompresses one chunk into <paramref name="destination"/>, which must be filled exactly.</summary>
    /// <param name="encoded">The stored bytes.</param>
    /// <param name="destination">The chunk's raw bytes; its length is the exact expected size.</param>
    /// <exception cref="InvalidDataException">The data are corrupt, truncated, or decode to more or fewer bytes than expected.</exception>
    public abstract void Decode(ReadOnlySpan<byte> encoded, Span<byte> destination);

    /// <summary>The v2 metadata object.</summary>
    public abstract JsonObject ToJson();

    /// <summary>Reads a v2 <c>compressor</c> object; null means no compression.</summary>
    /// <param name="json">The object.</param>
    /// <param name="path">The metadata file, for errors.</param>
    /// <exception cref="ZarrFormatException">The codec is unknown or its configuration invalid.</exception>
    public static ZarrCompressor? FromJson(JsonNode? json, string path)
    {
        if (json is null)
        {
            return null;
        }

        if (json is not JsonObject config || config["id"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            throw new ZarrFormatException(path, "compressor", "must be null or an object with a string \"id\".");
        }

        var id = config["id"]!.GetValue<string>();
        try
        {
            return id switch
            {
                "zlib" => new ZlibCompressor(Int(config, "level", 1)),
                "gzip" => new GzipCompressor(Int(config, "level", 1)),
                "zstd" => new ZstdCompressor(Int(config, "level", 0), config["checksum"]?.GetValue<bool>() ?? false),
                "blosc" => new BloscCompressor(
                    config["cname"]?.GetValue<string>() ?? "lz4",
                    Int(config, "clevel", 5),
                    (BloscShuffle)Int(config, "shuffle", 1),
                    Int(config, "blocksize", 0)),
                _ => throw new ZarrFormatException(path, "compressor.id", $"is \"{id}\", which CellVision does not support (supported: zlib, gzip, zstd, blosc)."),
            };
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ZarrFormatException(path, "compressor", $"has an invalid {id} configuration: {exception.Message}", exception);
        }
    }

    private static int Int(JsonObject config, string name, int fallback) => config[name]?.GetValue<int>() ?? fallback;
}
