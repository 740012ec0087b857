using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using CellVision.Core.Volumes;

namespace CellVision.IO.Tiff;

/// <summary>
/// Writes classic TIFF files: one grayscale page per plane, uncompressed or LZW/Deflate/PackBits, optionally with
/// ImageJ hyperstack metadata. Pixel data of all pages are stored contiguously in page order, as ImageJ requires for
/// uncompressed stacks. The file is written under a temporary name and renamed, so a failure leaves nothing behind.
/// </summary>
public static class TiffWriter
{
    private const int TargetStripBytes = 64 * 1024;

    /// <summary>Writes a Z stack, one page per plane; with <see cref="TiffWriteOptions.ImageJ"/> null, ImageJ metadata with the volume's voxel size in microns is written.</summary>
    /// <typeparam name="T">byte, sbyte, ushort, short, uint, int or float.</typeparam>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="volume">The planes.</param>
    /// <param name="options">Compression and layout; null for uncompressed little-endian.</param>
    public static void Write<T>(string path, Volume<T> volume, TiffWriteOptions? options = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        options ??= new TiffWriteOptions();
        var imageJ = options.ImageJ ?? new ImageJMetadata
        {
            Images = volume.Depth,
            Slices = volume.Depth,
            Unit = "micron",
            Spacing = volume.VoxelSize.Z,
            PixelWidth = volume.VoxelSize.X,
            PixelHeight = volume.VoxelSize.Y,
        };
        var planes = new List<ReadOnlyMemory<T>>();
        for (var z = 0; z < volume.Depth; z++)
        {
            planes.Add(volume.Plane(z).ToArray());
        }

        Write(path, planes, volume.Width, volume.Height, options with { ImageJ = imageJ });
    }

    /// <summary>Writes the given planes as pages.</summary>
    /// <typeparam name="T">byte, sbyte, ushort, short, uint, int or float.</typeparam>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="planes">Each plane's samples, rows top to bottom.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="options">Compression and layout; null for uncompressed little-endian without metadata.</param>
    /// <exception cref="ArgumentException">A plane has the wrong size, or the options do not fit the sample type.</exception>
    public static void Write<T>(string path, IReadOnlyList<ReadOnlyMemory<T>> planes, int width, int height, TiffWriteOptions? options = null)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(planes);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        options ??= new TiffWriteOptions();
        var (bits, format) = TiffSampleTypes.Of<T>();
        if (planes.Count == 0)
        {
            throw new ArgumentException("At least one plane is needed.", nameof(planes));
        }

        if (planes.Any(p => p.Length != width * height))
        {
            throw new ArgumentException($"Every plane must hold {width}×{height} = {width * height} samples.", nameof(planes));
        }

        if (options.HorizontalPredictor && (format == TiffSampleFormat.FloatingPoint || options.Compression is TiffCompression.None or TiffCompression.PackBits))
        {
            throw new ArgumentException("The horizontal predictor applies to integer samples with LZW or Deflate compression.", nameof(options));
        }

        var bytesPerSample = bits / 8;
        var rowBytes = width * bytesPerSample;
        var rowsPerStrip = options.Compression == TiffCompression.None ? height : Math.Clamp(TargetStripBytes / rowBytes, 1, height);
        var fullPath = System.IO.Path.GetFullPath(path);
        var temporary = $"{fullPath}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var writer = new Writer(stream, options.BigEndian);
                writer.Bytes(options.BigEndian ? "MM"u8 : "II"u8);
                writer.U16(42);
                var firstIfdPointer = stream.Position;
                writer.U32(0);

                var stripOffsets = new List<long[]>();
                var stripCounts = new List<long[]>();
                foreach (var plane in planes)
                {
                    var raw = MemoryMarshal.AsBytes(plane.Span).ToArray();
                    if (options.HorizontalPredictor)
                    {
                        ApplyHorizontalDifferencing(raw, width, height, bytesPerSample);
                    }

                    if (options.BigEndian && bytesPerSample > 1)
                    {
                        TiffFile.SwapBytes(raw, bytesPerSample);
                    }

                    var strips = (height + rowsPerStrip - 1) / rowsPerStrip;
                    var offsets = new long[strips];
                    var counts = new long[strips];
                    for (var s = 0; s < strips; s++)
                    {
                        var rows = Math.Min(rowsPerStrip, height - (s * rowsPerStrip));
                        var data = raw.AsSpan(s * rowsPerStrip * rowBytes, rows * rowBytes);
                        var encoded = Encode(data, options.Compression, rowBytes);
                        offsets[s] = stream.Position;
                        counts[s] = encoded.Length;
                        stream.Write(encoded);
                    }

                    stripOffsets.Add(offsets);
                    stripCounts.Add(counts);
                }

                writer.Align();
                var description = options.ImageJ?.ToDescription();
                long previousNextPointer = firstIfdPointer;
                for (var page = 0; page < planes.Count; page++)
                {
                    var ifdOffset = stream.Position;
                    writer.PatchU32(previousNextPointer, ifdOffset);
                    previousNextPointer = WriteIfd(writer, width, height, bits, format, options, rowsPerStrip, stripOffsets[page], stripCounts[page], page == 0 ? description : null, options.ImageJ);
                }

                if (stream.Position > uint.MaxValue)
                {
                    throw new NotSupportedException("The TIFF would exceed 4 GiB; classic TIFF cannot address it. Write the planes to several files or to Zarr.");
                }
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static long WriteIfd(Writer writer, int width, int height, int bits, TiffSampleFormat format, TiffWriteOptions options, int rowsPerStrip, long[] offsets, long[] counts, string? description, ImageJMetadata? imageJ)
    {
        var entries = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)>
        {
            (254, 4, 1, writer.Encode32(0)),
            (256, 4, 1, writer.Encode32((uint)width)),
            (257, 4, 1, writer.Encode32((uint)height)),
            (258, 3, 1, writer.Encode16((ushort)bits)),
            (259, 3, 1, writer.Encode16((ushort)options.Compression)),
            (262, 3, 1, writer.Encode16(1)),
            (273, 4, (uint)offsets.Length, offsets.SelectMany(o => writer.Encode32((uint)o)).ToArray()),
            (277, 3, 1, writer.Encode16(1)),
            (278, 4, 1, writer.Encode32((uint)rowsPerStrip)),
            (279, 4, (uint)counts.Length, counts.SelectMany(c => writer.Encode32((uint)c)).ToArray()),
        };
        if (description is not null)
        {
            var text = Encoding.ASCII.GetBytes(description + "\0");
            entries.Add((270, 2, (uint)text.Length, text));
        }

        if (imageJ is { PixelWidth: > 0, PixelHeight: > 0 })
        {
            entries.Add((282, 5, 1, Rational(writer, imageJ.PixelWidth.Value)));
            entries.Add((283, 5, 1, Rational(writer, imageJ.PixelHeight.Value)));
            entries.Add((296, 3, 1, writer.Encode16(1)));
        }

        if (options.HorizontalPredictor)
        {
            entries.Add((317, 3, 1, writer.Encode16(2)));
        }

        entries.Add((339, 3, 1, writer.Encode16((ushort)format)));
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));

        var ifdStart = writer.Stream.Position;
        var dataStart = ifdStart + 2 + (entries.Count * 12) + 4;
        var extra = new MemoryStream();
        writer.U16((ushort)entries.Count);
        foreach (var (tag, type, count, value) in entries)
        {
            writer.U16(tag);
            writer.U16(type);
            writer.U32(count);
            if (value.Length <= 4)
            {
                writer.Bytes(value);
                writer.Bytes(new byte[4 - value.Length]);
            }
            else
            {
                writer.U32((uint)(dataStart + extra.Length));
                extra.Write(value);
                if (extra.Length % 2 == 1)
                {
                    extra.WriteByte(0);
                }
            }
        }

        var nextPointer = writer.Stream.Position;
        writer.U32(0);
        writer.Bytes(extra.ToArray());
        writer.Align();
        return nextPointer;
    }

    private static byte[] Rational(Writer writer, double pixelSize)
    {
        // ImageJ stores 1 / pixel size as (int)(1e6 / size) / 1e6.
        var numerator = (uint)(1e6 / pixelSize);
        return [.. writer.Encode32(numerator), .. writer.Encode32(1_000_000)];
    }

    private static byte[] Encode(ReadOnlySpan<byte> data, TiffCompression compression, int rowBytes)
    {
        switch (compression)
        {
            case TiffCompression.None:
                return data.ToArray();
            case TiffCompression.Lzw:
                return Lzw.Encode(data);
            case TiffCompression.Deflate:
                using (var output = new MemoryStream())
                {
                    using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
                    {
                        zlib.Write(data);
                    }

                    return output.ToArray();
                }

            default:
                var packed = new List<byte>(data.Length);
                for (var row = 0; row < data.Length; row += rowBytes)
                {
                    PackBits.EncodeRow(data.Slice(row, rowBytes), packed);
                }

                return [.. packed];
        }
    }

    private static void ApplyHorizontalDifferencing(Span<byte> data, int width, int height, int bytesPerSample)
    {
        for (var row = 0; row < height; row++)
        {
            var line = data.Slice(row * width * bytesPerSample, width * bytesPerSample);
            switch (bytesPerSample)
            {
                case 1:
                    for (var i = line.Length - 1; i > 0; i--) line[i] -= line[i - 1];
                    break;
                case 2:
                    var shorts = MemoryMarshal.Cast<byte, ushort>(line);
                    for (var i = shorts.Length - 1; i > 0; i--) shorts[i] -= shorts[i - 1];
                    break;
                default:
                    var ints = MemoryMarshal.Cast<byte, uint>(line);
                    for (var i = ints.Length - 1; i > 0; i--) ints[i] -= ints[i - 1];
                    break;
            }
        }
    }

    private sealed class Writer(Stream stream, bool bigEndian)
    {
        internal Stream Stream => stream;

        internal void Bytes(ReadOnlySpan<byte> bytes) => stream.Write(bytes);

        internal void U16(ushort value) => stream.Write(Encode16(value));

        internal void U32(uint value) => stream.Write(Encode32(value));

        internal byte[] Encode16(ushort value)
        {
            var bytes = new byte[2];
            if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
            else BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            return bytes;
        }

        internal byte[] Encode32(uint value)
        {
            var bytes = new byte[4];
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            return bytes;
        }

        internal void PatchU32(long position, long value)
        {
            if (value > uint.MaxValue)
            {
                throw new NotSupportedException("The TIFF would exceed 4 GiB; classic TIFF cannot address it.");
            }

            var here = stream.Position;
            stream.Position = position;
            U32((uint)value);
            stream.Position = here;
        }

        internal void Align()
        {
            if (stream.Position % 2 == 1)
            {
                stream.WriteByte(0);
            }
        }
    }
}
