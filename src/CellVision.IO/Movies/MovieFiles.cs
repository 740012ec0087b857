using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;
using CellVision.IO.Ctc;
using CellVision.IO.OmeZarr;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.V3;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Movies;

/// <summary>
/// Reads and writes 3D+t movies of 8- or 16-bit voxels (held as uint16) in every format <see cref="MovieFormat"/>
/// names; the format comes from the path (extension, or what a folder holds) unless given.
/// </summary>
public static class MovieFiles
{
    /// <summary>The format a path names: by extension (<c>.tif</c>, <c>.xml</c>, <c>.zarr</c>, <c>.ome.zarr</c>), or for an existing folder by what it holds.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="forWriting">True when the path is to be written (so its content cannot be looked at).</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">The format cannot be told from the path.</exception>
    public static MovieFormat Guess(string path, bool forWriting)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path)).ToLowerInvariant();
        if (name.EndsWith(".ome.zarr", StringComparison.Ordinal))
        {
            return MovieFormat.OmeZarr;
        }

        if (name.EndsWith(".zarr", StringComparison.Ordinal))
        {
            return !forWriting && (HasMultiscales(Path.Combine(path, ".zattrs")) || HasMultiscales(Path.Combine(path, "zarr.json")))
                ? MovieFormat.OmeZarr
                : MovieFormat.Zarr;
        }

        if (name.EndsWith(".xml", StringComparison.Ordinal))
        {
            return MovieFormat.Bdv;
        }

        if (name.EndsWith(".tif", StringComparison.Ordinal) || name.EndsWith(".tiff", StringComparison.Ordinal))
        {
            return MovieFormat.Tiff;
        }

        if (Directory.Exists(path) && !forWriting)
        {
            return Directory.EnumerateFiles(path, "t*.tif").Any(f => char.IsDigit(Path.GetFileName(f)[1])) ? MovieFormat.Ctc : MovieFormat.TiffSequence;
        }

        throw new ArgumentException($"cannot tell the format of '{path}' from its name; give --format (tiff, tiff-sequence, bdv, zarr, ome-zarr, ctc).");
    }

    /// <summary>Reads every timepoint of a movie; 8-bit data are widened to uint16.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="format">Its format (see <see cref="Guess"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One volume per timepoint; the caller disposes them.</returns>
    /// <exception cref="FileNotFoundException">The path does not exist or holds no images.</exception>
    /// <exception cref="NotSupportedException">The voxels are not 8- or 16-bit unsigned integers.</exception>
    public static List<Volume<ushort>> Read(string path, MovieFormat format, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        return format switch
        {
            MovieFormat.Tiff => [ReadTiff(path, cancellationToken)],
            MovieFormat.TiffSequence => TiffSequence.Find(path).Select(f => ReadTiff(f, cancellationToken)).ToList() is { Count: > 0 } frames
                ? frames
                : throw new FileNotFoundException($"'{path}' holds no TIFF files.", path),
            MovieFormat.Ctc => ReadCtc(path, cancellationToken),
            MovieFormat.Bdv => ReadBdv(path, cancellationToken),
            MovieFormat.Zarr => ReadZarr(path, cancellationToken),
            MovieFormat.OmeZarr => [ReadOmeZarr(path, cancellationToken)],
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
        };
    }

    /// <summary>Writes a movie; TIFF files and OME-Zarr images take one timepoint, the other formats any number.</summary>
    /// <param name="path">The file or folder to create.</param>
    /// <param name="format">The format to write.</param>
    /// <param name="frames">One volume per timepoint, all of one shape.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">There is nothing to write, the format cannot hold that many timepoints, or the shapes differ.</exception>
    public static void Write(string path, MovieFormat format, IReadOnlyList<Volume<ushort>> frames, CancellationToken cancellationToken)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("there is nothing to write.");
        }

        switch (format)
        {
            case MovieFormat.Tiff when frames.Count == 1:
                TiffWriter.Write(path, frames[0], new TiffWriteOptions { Compression = TiffCompression.Deflate, ImageJ = ImageJOf(frames[0]) });
                break;
            case MovieFormat.Tiff:
                throw new ArgumentException($"a TIFF file holds one stack, but the movie has {frames.Count} timepoints; write a tiff-sequence, ctc, bdv or zarr instead.");
            case MovieFormat.TiffSequence:
            case MovieFormat.Ctc:
                Directory.CreateDirectory(path);
                for (var t = 0; t < frames.Count; t++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CtcSequence.WriteFrame(path, "t", t, frames.Count, frames[t], TiffCompression.Lzw);
                }

                break;
            case MovieFormat.Bdv:
                BdvWriter.Write(path, frames, cancellationToken: cancellationToken);
                break;
            case MovieFormat.Zarr:
                WriteZarr(path, frames, cancellationToken);
                break;
            case MovieFormat.OmeZarr when frames.Count == 1:
                OmeZarrImage.Write(path, frames[0], cancellationToken: cancellationToken);
                break;
            case MovieFormat.OmeZarr:
                throw new ArgumentException($"an OME-Zarr image here holds one timepoint, but the movie has {frames.Count}; write zarr or bdv instead.");
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format.");
        }
    }

    private static ImageJMetadata ImageJOf(Volume<ushort> volume) => new()
    {
        Images = volume.Depth, Slices = volume.Depth, Unit = "micron", Spacing = volume.VoxelSize.Z,
        PixelWidth = volume.VoxelSize.X, PixelHeight = volume.VoxelSize.Y,
    };

    private static Volume<ushort> ReadTiff(string path, CancellationToken cancellationToken)
    {
        using var tiff = TiffFile.Open(path);
        var page = tiff.Pages[0];
        if (page.SampleFormat == TiffSampleFormat.UnsignedInteger && page.BitsPerSample == 16)
        {
            return tiff.ReadStack<ushort>(cancellationToken);
        }

        if (page.SampleFormat == TiffSampleFormat.UnsignedInteger && page.BitsPerSample == 8)
        {
            using var bytes = tiff.ReadStack<byte>(cancellationToken);
            return Widen(bytes);
        }

        throw new NotSupportedException($"'{path}' holds {page.BitsPerSample}-bit {page.SampleFormat} voxels; this command handles 8- and 16-bit unsigned images.");
    }

    private static Volume<ushort> Widen(Volume<byte> bytes)
    {
        var wide = new Volume<ushort>(bytes.Depth, bytes.Height, bytes.Width, bytes.VoxelSize, bytes.Origin);
        var source = bytes.Span;
        var target = wide.Span;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = source[i];
        }

        return wide;
    }

    private static List<Volume<ushort>> ReadCtc(string path, CancellationToken cancellationToken)
    {
        var sequence = CtcSequence.Open(path, "t");
        return sequence.Frames.Order().Select(t =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return sequence.ReadFrame<ushort>(t);
        }).ToList();
    }

    private static List<Volume<ushort>> ReadBdv(string path, CancellationToken cancellationToken)
    {
        using var image = BdvImage.Open(path);
        var frames = new List<Volume<ushort>>();
        foreach (var timepoint in image.Xml.Timepoints)
        {
            cancellationToken.ThrowIfCancellationRequested();
            frames.Add(image.ReadVolume(timepoint, 0));
        }

        return frames;
    }

    private static bool HasMultiscales(string metadataFile) =>
        File.Exists(metadataFile) && File.ReadAllText(metadataFile).Contains("multiscales", StringComparison.Ordinal);

    /// <summary>Opens a Zarr array of either version: v3 when the folder holds <c>zarr.json</c>, v2 otherwise.</summary>
    private static (ChunkedArray Array, JsonObject Attributes) OpenZarr(string path)
    {
        if (File.Exists(Path.Combine(path, "zarr.json")))
        {
            var v3 = ZarrV3Array.Open(path);
            return (v3, v3.Attributes);
        }

        var v2 = ZarrArray.Open(path);
        return (v2, v2.ReadAttributes());
    }

    private static List<Volume<ushort>> ReadZarr(string path, CancellationToken cancellationToken)
    {
        var (array, attributes) = OpenZarr(path);
        var shape = array.Shape.ToArray();
        var voxelSize = VoxelSizeOf(attributes);
        if (shape.Length is not (3 or 4))
        {
            throw new ArgumentException($"'{path}' has {shape.Length} dimensions; a movie is Z,Y,X or T,Z,Y,X.");
        }

        var (timepoints, spatial) = shape.Length == 4 ? ((int)shape[0], shape[1..]) : (1, shape);
        var frames = new List<Volume<ushort>>();
        for (var t = 0; t < timepoints; t++)
        {
            var region = shape.Length == 4 ? new Box([t, 0, 0, 0], [1, .. spatial]) : Box.FromShape(spatial);
            var frame = new Volume<ushort>((int)spatial[0], (int)spatial[1], (int)spatial[2], voxelSize);
            ReadAs(array, path, region, frame.Span, cancellationToken);
            frames.Add(frame);
        }

        return frames;
    }

    private static void ReadAs(ChunkedArray array, string path, Box region, Span<ushort> destination, CancellationToken cancellationToken)
    {
        try
        {
            switch (array.ElementSize)
            {
                case 2:
                    array.Read(region, destination, cancellationToken: cancellationToken);
                    break;
                case 1:
                    var bytes = array.Read<byte>(region, cancellationToken: cancellationToken);
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        destination[i] = bytes[i];
                    }

                    break;
                default:
                    throw new NotSupportedException($"'{path}' holds {array.ElementSize}-byte voxels; movies are 8- or 16-bit unsigned images.");
            }
        }
        catch (ArgumentException exception) when (exception.ParamName is null)
        {
            // Read<T> refuses a T other than the array's type: a signed or floating-point array of the same width.
            throw new NotSupportedException($"'{path}' does not hold 8- or 16-bit unsigned voxels; movies are 8- or 16-bit unsigned images.", exception);
        }
    }

    private static Volume<ushort> ReadOmeZarr(string path, CancellationToken cancellationToken)
    {
        var image = OmeZarrImage.Open(path);
        var level = image.Levels[0];
        var shape = level.Array.Shape.ToArray();
        if (shape.Length != 3)
        {
            throw new NotSupportedException($"'{path}' has axes {string.Join(',', image.Axes.Select(a => a.Name))}; this command reads z,y,x images.");
        }

        var scale = level.Scale;
        var volume = new Volume<ushort>((int)shape[0], (int)shape[1], (int)shape[2], new VoxelSize(scale[2], scale[1], scale[0]));
        if (level.Array is ZarrArray zarr)
        {
            ReadAs(zarr, path, Box.FromShape(shape), volume.Span, cancellationToken);
        }
        else
        {
            level.Array.Read(Box.FromShape(shape), volume.Span, cancellationToken: cancellationToken);
        }

        return volume;
    }

    private static void WriteZarr(string path, IReadOnlyList<Volume<ushort>> frames, CancellationToken cancellationToken)
    {
        var first = frames[0];
        long[] frameShape = [first.Depth, first.Height, first.Width];
        var array = ZarrArray.Create<ushort>(path, [frames.Count, .. frameShape], [1, Math.Min(first.Depth, 16), Math.Min(first.Height, 256), Math.Min(first.Width, 256)], ZarrCompressor.Default);
        for (var t = 0; t < frames.Count; t++)
        {
            if (frames[t].Depth != first.Depth || frames[t].Height != first.Height || frames[t].Width != first.Width)
            {
                throw new ArgumentException($"timepoint {t} is {frames[t].Depth}×{frames[t].Height}×{frames[t].Width}, unlike timepoint 0 ({first.Depth}×{first.Height}×{first.Width}).");
            }

            array.Write<ushort>(new Box([t, 0, 0, 0], [1, .. frameShape]), frames[t].Span, cancellationToken: cancellationToken);
        }

        array.WriteAttributes(new JsonObject
        {
            ["voxel_size_xyz_um"] = new JsonArray(first.VoxelSize.X, first.VoxelSize.Y, first.VoxelSize.Z),
        });
    }

    private static VoxelSize? VoxelSizeOf(JsonObject attributes) =>
        attributes["voxel_size_xyz_um"] is JsonArray { Count: 3 } size
            ? new VoxelSize((double)size[0]!, (double)size[1]!, (double)size[2]!)
            : null;
}
