using System.Buffers.Binary;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Zarr;

/// <summary>
/// Writes a stack of TIFF sections as a funlib dataset, as incasem's <c>image_sequence_to_zarr.py</c> does: a Z, Y, X
/// Zarr v2 array of unsigned integers with zlib level-3 chunks and the <c>resolution</c> and <c>offset</c> attributes
/// (nm). Sections are streamed: one section at a time goes into an uncompressed staging array of one-section chunks
/// beside the target, which is then copied chunk by chunk, so memory holds one section and one chunk, never the stack.
/// </summary>
public static class SectionsToZarr
{
    /// <summary>Creates the array at <paramref name="path"/> from <paramref name="sections"/>.</summary>
    /// <param name="sections">The sections (unsigned or signed integer samples).</param>
    /// <param name="path">The array's folder; it must not exist.</param>
    /// <param name="options">Type, voxel size, crop and chunks; null for incasem's defaults.</param>
    /// <param name="progress">Receives the fraction done, or null.</param>
    /// <param name="cancellationToken">Stops between sections and chunks; the target is then incomplete and the caller removes it.</param>
    /// <returns>The array.</returns>
    /// <exception cref="IOException">Something exists at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the crop does not lie inside the stack.</exception>
    /// <exception cref="InvalidDataException">The sections hold floating-point samples, a negative value, or a value that does not fit the type (or, with <see cref="SectionsToZarrOptions.Invert"/>, 256 or more).</exception>
    public static ZarrArray Write(TiffSections sections, string path, SectionsToZarrOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SectionsToZarrOptions();
        options.Validate();
        if (Directory.Exists(path) || File.Exists(path))
        {
            throw new IOException($"'{path}' already exists.");
        }

        if (sections.SampleFormat == TiffSampleFormat.FloatingPoint)
        {
            throw new InvalidDataException($"'{sections.Source}' holds floating-point samples; a funlib dataset of {options.DataType} needs integer sections.");
        }

        var crop = Crop(sections, options);
        long[] shape = [.. crop.Size];
        long[] chunks = [.. options.Chunks.Select((c, a) => Math.Min(c, shape[a]))];
        var array = ZarrArray.Create(path, new ZarrArrayMetadata
        {
            Shape = shape,
            Chunks = chunks,
            DataType = options.DataType,
            Compressor = new ZlibCompressor(3),
            FillValue = ZarrFillValue.ToJson(0, options.DataType),
        });
        new FunlibAttributes(options.Resolution, [.. options.Offset.Select((o, a) => o * options.Resolution[a])]).WriteTo(array);
        var chunkCount = array.ChunksTouching(array.Bounds).Count;
        var steps = (double)(shape[0] + (chunks[0] == 1 ? 0 : chunkCount));
        var done = 0;
        if (chunks[0] == 1)
        {
            // One section per chunk: each section is written whole, nothing to stage.
            WriteSections(sections, array, crop, options, () => progress?.Report(++done / steps), cancellationToken);
            return array;
        }

        var staging = $"{Path.TrimEndingDirectorySeparator(path)}.{Guid.NewGuid():N}.staging";
        try
        {
            var stage = ZarrArray.Create(staging, new ZarrArrayMetadata
            {
                Shape = shape,
                Chunks = [1, chunks[1], chunks[2]],
                DataType = options.DataType,
                Compressor = null,
                FillValue = ZarrFillValue.ToJson(0, options.DataType),
            });
            WriteSections(sections, stage, crop, options, () => progress?.Report(++done / steps), cancellationToken);
            var buffer = new byte[chunks[0] * chunks[1] * chunks[2] * array.ElementSize];
            foreach (var chunk in array.ChunksTouching(array.Bounds))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var box = new Box([.. chunk.Select((c, a) => c * chunks[a])], chunks).ClipTo(shape);
                var bytes = buffer.AsSpan(0, checked((int)(box.ElementCount * array.ElementSize)));
                stage.ReadBytes(box, bytes, cancellationToken: cancellationToken);
                array.WriteBytes(box, bytes, cancellationToken: cancellationToken);
                progress?.Report(++done / steps);
            }

            return array;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static Box Crop(TiffSections sections, SectionsToZarrOptions options)
    {
        var stack = sections.Shape;
        long[] start = [.. options.Offset];
        long[] size = options.Shape is { } shape ? [.. shape] : [.. stack.Select((s, a) => s - start[a])];
        for (var axis = 0; axis < 3; axis++)
        {
            if (size[axis] < 1 || start[axis] + size[axis] > stack[axis])
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"The crop from [{string.Join(", ", start)}] of shape [{string.Join(", ", size)}] does not lie inside '{sections.Source}', which is {string.Join('×', stack)} voxels (Z×Y×X).");
            }
        }

        return new Box(start, size);
    }

    private static void WriteSections(TiffSections sections, ZarrArray target, Box crop, SectionsToZarrOptions options, Action sectionDone, CancellationToken cancellationToken)
    {
        var (height, width) = ((int)crop.Size[1], (int)crop.Size[2]);
        var (top, left) = ((int)crop.Start[1], (int)crop.Start[2]);
        var section = new byte[sections.Height * sections.Width * sections.BytesPerSample];
        var converted = new byte[height * width * options.DataType.Size];
        var maximum = options.Invert ? byte.MaxValue : options.DataType.Size == 8 ? ulong.MaxValue : (1UL << (8 * options.DataType.Size)) - 1;
        for (var z = 0; z < crop.Size[0]; z++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = (int)crop.Start[0] + z;
            sections.ReadSection(index, section);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var source = ((((y + top) * sections.Width) + x + left) * sections.BytesPerSample);
                    var value = Sample(sections, section.AsSpan(source, sections.BytesPerSample), index);
                    if (value > maximum)
                    {
                        throw new InvalidDataException($"Section {index} of '{sections.Source}' holds the value {value} at row {y + top}, column {x + left}, which {(options.Invert ? "cannot be inverted as 255 − value (values must lie below 256)" : $"does not fit in {options.DataType}")}.");
                    }

                    if (options.Invert)
                    {
                        value = byte.MaxValue - value;
                    }

                    Store(converted.AsSpan(((y * width) + x) * options.DataType.Size, options.DataType.Size), value);
                }
            }

            target.WriteBytes(new Box([z, 0, 0], [1, height, width]), converted, cancellationToken: cancellationToken);
            sectionDone();
        }
    }

    private static ulong Sample(TiffSections sections, ReadOnlySpan<byte> bytes, int index)
    {
        if (sections.SampleFormat != TiffSampleFormat.SignedInteger)
        {
            return bytes.Length switch
            {
                1 => bytes[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            };
        }

        long signed = bytes.Length switch
        {
            1 => (sbyte)bytes[0],
            2 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        };
        return signed >= 0 ? (ulong)signed : throw new InvalidDataException($"Section {index} of '{sections.Source}' holds the negative value {signed}; datasets hold unsigned integers.");
    }

    private static void Store(Span<byte> destination, ulong value)
    {
        switch (destination.Length)
        {
            case 1: destination[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(destination, value); break;
        }
    }
}
