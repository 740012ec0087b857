using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using CellVision.Core.Volumes;
using Microsoft.Win32.SafeHandles;

namespace CellVision.IO.Tiff;

/// <summary>
/// A TIFF or BigTIFF file opened for reading: grayscale pages of 8-, 16- or 32-bit integers or 32-bit floats,
/// in either byte order, uncompressed or LZW, Deflate or PackBits, with ImageJ hyperstack metadata.
/// Every offset is checked against the file's length, so a damaged file fails with <see cref="TiffFormatException"/>.
/// </summary>
/// <example>
/// <code>
/// using var tiff = TiffFile.Open("man_track000.tif");
/// ushort[] labels = tiff.ReadPage&lt;ushort&gt;(0);
/// using Volume&lt;ushort&gt; stack = tiff.ReadStack&lt;ushort&gt;();
/// </code>
/// </example>
public sealed class TiffFile : IDisposable
{
    private const int MaxPages = 1_000_000;
    private readonly SafeFileHandle handle;
    private readonly long fileLength;
    private readonly bool bigEndian;
    private readonly bool bigTiff;

    private TiffFile(string path, SafeFileHandle handle)
    {
        Path = path;
        this.handle = handle;
        fileLength = RandomAccess.GetLength(handle);
        Span<byte> header = stackalloc byte[16];
        if (fileLength < 8 || RandomAccess.Read(handle, header[..(int)Math.Min(16, fileLength)], 0) < 8)
        {
            throw Error("header", "the file is shorter than a TIFF header (8 bytes).");
        }

        bigEndian = (header[0], header[1]) switch
        {
            (0x49, 0x49) => false,
            (0x4D, 0x4D) => true,
            _ => throw Error("header", "does not start with 'II' or 'MM'; not a TIFF file."),
        };
        var magic = U16(header[2..]);
        long firstIfd;
        if (magic == 42)
        {
            firstIfd = U32(header[4..]);
        }
        else if (magic == 43 && fileLength >= 16 && U16(header[4..]) == 8)
        {
            bigTiff = true;
            firstIfd = (long)U64(header[8..]);
        }
        else
        {
            throw Error("header", $"has magic number {magic}; expected 42 (TIFF) or 43 (BigTIFF).");
        }

        Pages = ReadPages(firstIfd);
        ImageJ = ImageJMetadata.Parse(Pages[0].Description);
        if (ImageJ is not null)
        {
            var page = Pages[0];
            if (page.XResolution is > 0 && page.YResolution is > 0)
            {
                ImageJ = ImageJ with { PixelWidth = 1 / page.XResolution, PixelHeight = 1 / page.YResolution };
            }

            if (ImageJ.Images > Pages.Count && Pages.Count == 1 && page.Compression == TiffCompression.None)
            {
                Pages = ContiguousImageJPages(page, ImageJ.Images);
            }
        }
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The pages, in file order.</summary>
    public IReadOnlyList<TiffPage> Pages { get; }

    /// <summary>ImageJ hyperstack metadata, or null when the file has none.</summary>
    public ImageJMetadata? ImageJ { get; }

    /// <summary>Whether the file is a BigTIFF.</summary>
    public bool IsBigTiff => bigTiff;

    /// <summary>Whether samples are stored big-endian ("MM").</summary>
    public bool IsBigEndian => bigEndian;

    /// <summary>Opens a TIFF file and reads its page directory.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TiffFormatException">The file is not a valid TIFF or uses an unsupported feature.</exception>
    public static TiffFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new TiffFile(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads page <paramref name="index"/> into a new array, rows top to bottom.</summary>
    /// <typeparam name="T">byte, sbyte, ushort, short, uint, int or float, matching the page.</typeparam>
    /// <param name="index">The page.</param>
    public T[] ReadPage<T>(int index)
        where T : unmanaged
    {
        var page = Pages[index];
        var result = new T[page.Width * page.Height];
        ReadPage<T>(index, result);
        return result;
    }

    /// <summary>Reads page <paramref name="index"/> into <paramref name="destination"/>, rows top to bottom.</summary>
    /// <typeparam name="T">byte, sbyte, ushort, short, uint, int or float, matching the page.</typeparam>
    /// <param name="index">The page.</param>
    /// <param name="destination">Width × height elements.</param>
    public void ReadPage<T>(int index, Span<T> destination)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Pages.Count);
        var page = Pages[index];
        CheckType<T>(page);
        if (destination.Length != page.Width * page.Height)
        {
            throw new ArgumentException($"Page {index} has {page.Width}×{page.Height} samples but the destination holds {destination.Length}.", nameof(destination));
        }

        DecodePage(page, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Reads page <paramref name="index"/> as raw little-endian sample bytes, whatever the sample type.</summary>
    /// <param name="index">The page.</param>
    /// <param name="destination">Width × height × bytes per sample.</param>
    public void ReadPageBytes(int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Pages.Count);
        var page = Pages[index];
        if (destination.Length != page.Width * page.Height * page.BytesPerSample)
        {
            throw new ArgumentException($"Page {index} has {page.Width * page.Height * page.BytesPerSample} bytes of samples but the destination holds {destination.Length}.", nameof(destination));
        }

        DecodePage(page, destination);
    }

    /// <summary>Reads every page as one Z stack (page k becomes plane k).</summary>
    /// <typeparam name="T">The sample type of the pages.</typeparam>
    /// <param name="cancellationToken">Stops between pages.</param>
    /// <exception cref="TiffFormatException">The pages differ in size or type.</exception>
    public Volume<T> ReadStack<T>(CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var first = Pages[0];
        var mismatch = Pages.FirstOrDefault(p => p.Width != first.Width || p.Height != first.Height || p.BitsPerSample != first.BitsPerSample || p.SampleFormat != first.SampleFormat);
        if (mismatch is not null)
        {
            throw Error($"page {mismatch.Index}", $"is {mismatch.Width}×{mismatch.Height} {mismatch.BitsPerSample}-bit, unlike page 0 ({first.Width}×{first.Height} {first.BitsPerSample}-bit); read the pages one by one.");
        }

        var voxelSize = ImageJ is { PixelWidth: > 0, PixelHeight: > 0 }
            ? new CellVision.Core.Geometry.VoxelSize(ImageJ.PixelWidth!.Value, ImageJ.PixelHeight!.Value, ImageJ.Spacing ?? 1)
            : (CellVision.Core.Geometry.VoxelSize?)null;
        var volume = new Volume<T>(Pages.Count, first.Height, first.Width, voxelSize);
        try
        {
            for (var z = 0; z < Pages.Count; z++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadPage(z, volume.Plane(z));
            }

            return volume;
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();

    private void DecodePage(TiffPage page, Span<byte> destination)
    {
        var rowBytes = page.Width * page.BytesPerSample;
        for (var strip = 0; strip < page.StripOffsets.Length; strip++)
        {
            var firstRow = strip * page.RowsPerStrip;
            if (firstRow >= page.Height)
            {
                break;
            }

            var rows = Math.Min(page.RowsPerStrip, page.Height - firstRow);
            var target = destination.Slice(firstRow * rowBytes, rows * rowBytes);
            var field = $"page {page.Index}, strip {strip}";
            var offset = page.StripOffsets[strip];
            var count = page.StripByteCounts[strip];
            if (offset < 0 || count < 0 || offset + count > fileLength)
            {
                throw Error(field, $"lies at bytes {offset}..{offset + count}, past the end of the {fileLength}-byte file.");
            }

            if (page.Compression == TiffCompression.None)
            {
                if (count < target.Length)
                {
                    throw Error(field, $"holds {count} bytes but {rows} rows need {target.Length}.");
                }

                ReadExactly(offset, target, field);
            }
            else
            {
                if (count > int.MaxValue)
                {
                    throw Error(field, $"declares {count} bytes, more than a strip can hold.");
                }

                var stored = new byte[count];
                ReadExactly(offset, stored, field);
                int produced;
                try
                {
                    produced = page.Compression switch
                    {
                        TiffCompression.Lzw => Lzw.Decode(stored, target),
                        TiffCompression.PackBits => PackBits.Decode(stored, target),
                        _ => Inflate(stored, target),
                    };
                }
                catch (InvalidDataException exception)
                {
                    throw Error(field, $"cannot be decompressed: {exception.Message}", exception);
                }

                if (produced < target.Length)
                {
                    throw Error(field, $"decompresses to {produced} bytes but {rows} rows need {target.Length} (truncated strip).");
                }
            }

            if (bigEndian && page.BytesPerSample > 1)
            {
                SwapBytes(target, page.BytesPerSample);
            }

            if (page.Predictor == 2)
            {
                UndoHorizontalDifferencing(target, page.Width, rows, page.BytesPerSample);
            }
        }
    }

    private static int Inflate(byte[] stored, Span<byte> target)
    {
        using var zlib = new ZLibStream(new MemoryStream(stored), CompressionMode.Decompress);
        return zlib.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
    }

    private static void UndoHorizontalDifferencing(Span<byte> data, int width, int rows, int bytesPerSample)
    {
        for (var row = 0; row < rows; row++)
        {
            var line = data.Slice(row * width * bytesPerSample, width * bytesPerSample);
            switch (bytesPerSample)
            {
                case 1:
                    for (var i = 1; i < line.Length; i++) line[i] += line[i - 1];
                    break;
                case 2:
                    var shorts = MemoryMarshal.Cast<byte, ushort>(line);
                    for (var i = 1; i < shorts.Length; i++) shorts[i] += shorts[i - 1];
                    break;
                default:
                    var ints = MemoryMarshal.Cast<byte, uint>(line);
                    for (var i = 1; i < ints.Length; i++) ints[i] += ints[i - 1];
                    break;
            }
        }
    }

    internal static void SwapBytes(Span<byte> data, int size)
    {
        if (size == 2)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(data), MemoryMarshal.Cast<byte, ushort>(data));
        }
        else if (size == 4)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(data), MemoryMarshal.Cast<byte, uint>(data));
        }
    }

    private void CheckType<T>(TiffPage page)
        where T : unmanaged
    {
        var (bits, format) = TiffSampleTypes.Of<T>();
        if (bits != page.BitsPerSample || format != page.SampleFormat)
        {
            throw new ArgumentException($"{Path} page {page.Index} holds {page.BitsPerSample}-bit {page.SampleFormat} samples; {typeof(T).Name} does not match.");
        }
    }

    private List<TiffPage> ReadPages(long firstIfd)
    {
        var pages = new List<TiffPage>();
        var visited = new HashSet<long>();
        var offset = firstIfd;
        while (offset != 0)
        {
            if (!visited.Add(offset) || pages.Count >= MaxPages)
            {
                throw Error($"page {pages.Count}", "the chain of image file directories loops back on itself.");
            }

            var (page, next) = ReadIfd(offset, pages.Count);
            pages.Add(page);
            offset = next;
        }

        if (pages.Count == 0)
        {
            throw Error("header", "the file has no image file directory.");
        }

        return pages;
    }

    private (TiffPage Page, long Next) ReadIfd(long offset, int index)
    {
        var field = $"page {index}";
        var countSize = bigTiff ? 8 : 2;
        var entrySize = bigTiff ? 20 : 12;
        Span<byte> countBytes = stackalloc byte[8];
        ReadExactly(offset, countBytes[..countSize], field);
        var count = bigTiff ? (long)U64(countBytes) : U16(countBytes);
        if (count <= 0 || count > 4096)
        {
            throw Error(field, $"its directory declares {count} entries.");
        }

        var entries = new byte[(count * entrySize) + (bigTiff ? 8 : 4)];
        ReadExactly(offset + countSize, entries, field);
        var tags = new Dictionary<int, TiffValue>();
        for (var i = 0; i < count; i++)
        {
            var entry = entries.AsSpan((int)(i * entrySize), entrySize);
            var tag = U16(entry);
            var type = U16(entry[2..]);
            var valueCount = bigTiff ? (long)U64(entry[4..]) : U32(entry[4..]);
            var inline = bigTiff ? entry[12..20] : entry[8..12];
            tags[tag] = ReadValue(tag, type, valueCount, inline, field);
        }

        var nextBytes = entries.AsSpan((int)(count * entrySize));
        var next = bigTiff ? (long)U64(nextBytes) : U32(nextBytes);
        return (BuildPage(tags, index, field), next);
    }

    private TiffPage BuildPage(Dictionary<int, TiffValue> tags, int index, string field)
    {
        long Required(int tag, string name) => tags.TryGetValue(tag, out var v) && v.Numbers.Length > 0 ? (long)v.Numbers[0] : throw Error($"{field}, {name}", "is missing.");
        long Optional(int tag, long fallback) => tags.TryGetValue(tag, out var v) && v.Numbers.Length > 0 ? (long)v.Numbers[0] : fallback;

        if (tags.ContainsKey(322) || tags.ContainsKey(324))
        {
            throw Error($"{field}, TileOffsets", "the page is tiled; only strip-organised TIFF pages are supported.");
        }

        var width = Required(256, "ImageWidth");
        var height = Required(257, "ImageLength");
        if (width is <= 0 or > 1 << 20 || height is <= 0 or > 1 << 20)
        {
            throw Error($"{field}, ImageWidth", $"the page is {width}×{height} pixels.");
        }

        if (Optional(277, 1) != 1)
        {
            throw Error($"{field}, SamplesPerPixel", $"is {Optional(277, 1)}; only single-sample (grayscale) pages are supported.");
        }

        var bits = (int)Optional(258, 1);
        var format = (TiffSampleFormat)Optional(339, 1);
        if (bits is not (8 or 16 or 32) || format is not (TiffSampleFormat.UnsignedInteger or TiffSampleFormat.SignedInteger or TiffSampleFormat.FloatingPoint) || (format == TiffSampleFormat.FloatingPoint && bits != 32))
        {
            throw Error($"{field}, BitsPerSample", $"{bits}-bit samples of format {(int)format} are not supported (supported: 8/16/32-bit integers, 32-bit float).");
        }

        var compression = Optional(259, 1) switch
        {
            1 => TiffCompression.None,
            5 => TiffCompression.Lzw,
            8 or 32946 => TiffCompression.Deflate,
            32773 => TiffCompression.PackBits,
            var other => throw Error($"{field}, Compression", $"is {other}; supported: 1 (none), 5 (LZW), 8/32946 (Deflate), 32773 (PackBits)."),
        };
        var predictor = (int)Optional(317, 1);
        if (predictor is not (1 or 2) || (predictor == 2 && format == TiffSampleFormat.FloatingPoint))
        {
            throw Error($"{field}, Predictor", $"is {predictor}; only 1 (none) and 2 (horizontal, integer samples) are supported.");
        }

        var offsets = tags.TryGetValue(273, out var o) ? o.Numbers.Select(v => (long)v).ToArray() : throw Error($"{field}, StripOffsets", "is missing.");
        var counts = tags.TryGetValue(279, out var c) ? c.Numbers.Select(v => (long)v).ToArray() : throw Error($"{field}, StripByteCounts", "is missing.");
        var rowsPerStrip = (int)Math.Clamp(Optional(278, height), 1, height);
        var strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        if (offsets.Length < strips || counts.Length < strips)
        {
            throw Error($"{field}, StripOffsets", $"lists {offsets.Length} offsets and {counts.Length} byte counts but {height} rows in strips of {rowsPerStrip} need {strips}.");
        }

        return new TiffPage
        {
            Index = index,
            Width = (int)width,
            Height = (int)height,
            BitsPerSample = bits,
            SampleFormat = format,
            Compression = compression,
            Predictor = predictor,
            RowsPerStrip = rowsPerStrip,
            StripOffsets = offsets,
            StripByteCounts = counts,
            Description = tags.TryGetValue(270, out var d) ? d.Text : null,
            XResolution = tags.TryGetValue(282, out var x) && x.Numbers.Length > 0 ? x.Numbers[0] : null,
            YResolution = tags.TryGetValue(283, out var y) && y.Numbers.Length > 0 ? y.Numbers[0] : null,
            ResolutionUnit = (int)Optional(296, 2),
        };
    }

    private List<TiffPage> ContiguousImageJPages(TiffPage first, int images)
    {
        var planeBytes = (long)first.Width * first.Height * first.BytesPerSample;
        var start = first.StripOffsets[0];
        if (start + (planeBytes * images) > fileLength)
        {
            throw Error("page 0, ImageDescription", $"declares images={images} stored contiguously, but the file ends before plane {(fileLength - start) / planeBytes}.");
        }

        return Enumerable.Range(0, images).Select(i => first with
        {
            Index = i,
            RowsPerStrip = first.Height,
            StripOffsets = [start + (i * planeBytes)],
            StripByteCounts = [planeBytes],
        }).ToList();
    }

    private TiffValue ReadValue(int tag, int type, long count, ReadOnlySpan<byte> inline, string field)
    {
        var size = type switch
        {
            1 or 2 or 6 or 7 => 1,
            3 or 8 => 2,
            4 or 9 or 11 => 4,
            5 or 10 or 12 or 16 or 17 or 18 => 8,
            _ => 0,
        };
        if (size == 0 || count < 0 || count > 1 << 28)
        {
            return new TiffValue([], null);
        }

        var total = size * count;
        byte[] bytes;
        if (total <= inline.Length)
        {
            bytes = inline[..(int)total].ToArray();
        }
        else
        {
            var offset = bigTiff ? (long)U64(inline) : U32(inline);
            if (offset + total > fileLength)
            {
                throw Error($"{field}, tag {tag}", $"its {total} bytes of values at offset {offset} lie past the end of the {fileLength}-byte file.");
            }

            bytes = new byte[total];
            ReadExactly(offset, bytes, $"{field}, tag {tag}");
        }

        if (type == 2)
        {
            return new TiffValue([], Encoding.Latin1.GetString(bytes).TrimEnd('\0'));
        }

        var numbers = new double[count];
        for (var i = 0; i < count; i++)
        {
            var v = bytes.AsSpan((int)(i * size), size);
            numbers[i] = type switch
            {
                1 or 7 => v[0],
                6 => (sbyte)v[0],
                3 => U16(v),
                8 => (short)U16(v),
                4 => U32(v),
                9 => (int)U32(v),
                11 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(v) : BinaryPrimitives.ReadSingleLittleEndian(v),
                12 => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(v) : BinaryPrimitives.ReadDoubleLittleEndian(v),
                5 => U32(v[4..]) == 0 ? 0 : (double)U32(v) / U32(v[4..]),
                10 => (int)U32(v[4..]) == 0 ? 0 : (double)(int)U32(v) / (int)U32(v[4..]),
                _ => U64(v),
            };
        }

        return new TiffValue(numbers, null);
    }

    private void ReadExactly(long offset, Span<byte> destination, string field)
    {
        if (offset < 0 || offset + destination.Length > fileLength)
        {
            throw Error(field, $"refers to bytes {offset}..{offset + destination.Length}, past the end of the {fileLength}-byte file.");
        }

        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[read..], offset + read);
            if (n == 0)
            {
                throw Error(field, "the file ended early.");
            }

            read += n;
        }
    }

    private ushort U16(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ulong U64(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);

    private TiffFormatException Error(string field, string problem, Exception? inner = null) => new(Path, field, problem, inner);

    private sealed record TiffValue(double[] Numbers, string? Text);
}
