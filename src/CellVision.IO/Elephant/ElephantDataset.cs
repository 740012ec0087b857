using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Elephant;

/// <summary>How <see cref="ElephantDataset.ConvertFromBdv"/> treats values that do not fit the image type.</summary>
public enum ElephantOverflow
{
    /// <summary>Clamp to the type's range (CellVision's default).</summary>
    Clip,

    /// <summary>Wrap modulo 2^bits, as ELEPHANT's converter does (its values then differ from the raw data).</summary>
    Wrap,
}

/// <summary>
/// ELEPHANT's per-dataset Zarr layout: <c>imgs.zarr</c>, <c>seg_labels.zarr</c>, <c>seg_labels_vis.zarr</c>,
/// <c>seg_outputs.zarr</c>, <c>flow_labels.zarr</c>, <c>flow_outputs.zarr</c> and <c>flow_hashes.zarr</c>, with the
/// shapes, dtypes and chunks of ELEPHANT's dataset generator (Zarr v2, zarr-python 2's default compressor, fill 0).
/// </summary>
public sealed partial class ElephantDataset
{
    private ElephantDataset(string folder, long[] shape, bool isUInt16)
    {
        Folder = folder;
        Shape = shape;
        IsUInt16 = isUInt16;
    }

    /// <summary>The dataset folder.</summary>
    public string Folder { get; }

    /// <summary>(T, D, H, W), or (T, H, W) for 2-D data.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Whether images are stored as uint16 (else uint8).</summary>
    public bool IsUInt16 { get; }

    /// <summary>Whether the data are 2-D (no Z axis).</summary>
    public bool Is2D => Shape.Count == 3;

    /// <summary>The images array (T, [D,] H, W).</summary>
    public ZarrArray Images => ZarrArray.Open(Path.Combine(Folder, "imgs.zarr"));

    /// <summary>Creates every array of the layout (metadata only).</summary>
    /// <param name="folder">The dataset folder.</param>
    /// <param name="shape">(T, D, H, W), or (T, H, W) for 2-D data.</param>
    /// <param name="isUInt16">Store images as uint16 (else uint8).</param>
    /// <param name="overwrite">Replace existing arrays' metadata.</param>
    public static ElephantDataset Create(string folder, long[] shape, bool isUInt16, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is not (3 or 4) || shape.Any(s => s < 1) || shape[0] < 1)
        {
            throw new ArgumentException("The shape must be (T, D, H, W) or (T, H, W) with positive sizes.", nameof(shape));
        }

        Directory.CreateDirectory(folder);
        foreach (var (name, metadata) in Layout(shape, isUInt16))
        {
            ZarrArray.Create(Path.Combine(folder, name), metadata, overwrite);
        }

        return new ElephantDataset(folder, shape, isUInt16);
    }

    /// <summary>Opens a dataset, checking every array's shape and dtype (ELEPHANT's <c>/dataset/check</c>).</summary>
    /// <param name="folder">The dataset folder.</param>
    /// <exception cref="ZarrFormatException">An array is missing or has the wrong shape or dtype.</exception>
    public static ElephantDataset Open(string folder)
    {
        var images = ZarrArray.Open(Path.Combine(folder, "imgs.zarr"));
        var shape = images.Metadata.Shape;
        var isUInt16 = images.Metadata.DataType.Size == 2;
        var problem = Check(folder, shape);
        return problem is null ? new ElephantDataset(folder, shape, isUInt16) : throw new ZarrFormatException(folder, "dataset", problem);
    }

    /// <summary>Checks the layout against <paramref name="shape"/>; null when it is ready, else the first problem.</summary>
    /// <param name="folder">The dataset folder.</param>
    /// <param name="shape">Expected (T, [D,] H, W).</param>
    public static string? Check(string folder, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var isUInt16 = File.Exists(Path.Combine(folder, "imgs.zarr", ".zarray")) && ZarrArray.Open(Path.Combine(folder, "imgs.zarr")).Metadata.DataType.Size == 2;
        foreach (var (name, expected) in Layout(shape, isUInt16))
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(Path.Combine(path, ".zarray")))
            {
                return $"{name} is missing.";
            }

            var actual = ZarrArray.Open(path).Metadata;
            if (!actual.Shape.SequenceEqual(expected.Shape))
            {
                return $"{name} has shape [{string.Join(", ", actual.Shape)}]; expected [{string.Join(", ", expected.Shape)}].";
            }

            if (actual.DataType.Kind != expected.DataType.Kind || actual.DataType.Size != expected.DataType.Size)
            {
                return $"{name} has dtype {actual.DataType}; expected {expected.DataType}.";
            }
        }

        return null;
    }

    /// <summary>
    /// Converts setup 0, level 0 of a BigDataViewer dataset to <c>imgs.zarr</c> (creating the whole layout), as ELEPHANT's
    /// dataset generator: values become <c>floor(raw / divisor)</c>; 2-D data keep only the first Z plane.
    /// </summary>
    /// <param name="bdvXmlPath">The BDV XML file.</param>
    /// <param name="folder">The dataset folder.</param>
    /// <param name="isUInt16">uint16 images; null decides as ELEPHANT's server does (uint16 when any raw value exceeds 255).</param>
    /// <param name="divisor">Divisor of raw values (ELEPHANT default 1).</param>
    /// <param name="is2D">Keep only the first Z plane.</param>
    /// <param name="overflow">What to do with values beyond the type's range (default clip; ELEPHANT wraps).</param>
    /// <param name="progress">Receives (timepoints done, total).</param>
    /// <param name="cancellationToken">Stops between timepoints.</param>
    public static ElephantDataset ConvertFromBdv(string bdvXmlPath, string folder, bool? isUInt16 = null, double divisor = 1.0, bool is2D = false, ElephantOverflow overflow = ElephantOverflow.Clip, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        RequireDivisor(divisor);
        using var image = BdvImage.Open(bdvXmlPath);
        var timepoints = image.Xml.Timepoints;
        return ConvertFrames(folder, timepoints.Count, image.Shape(timepoints[0], 0), (i, region) => image.ReadVolume(timepoints[i], 0, region: region), isUInt16, divisor, is2D, overflow, progress, cancellationToken);
    }

    private static void RequireDivisor(double divisor)
    {
        if (!(divisor > 0) || double.IsInfinity(divisor))
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be a positive number.");
        }
    }

    private static ElephantDataset ConvertFrames(string folder, int count, long[] frameShape, Func<int, Box?, Volume<ushort>> read, bool? isUInt16, double divisor, bool is2D, ElephantOverflow overflow, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var uint16 = isUInt16 ?? Enumerable.Range(0, count).Any(t =>
        {
            using var volume = read(t, null);
            return volume.Span.ToArray().Max() > 255;
        });
        long[] shape = is2D ? [count, frameShape[1], frameShape[2]] : [count, .. frameShape];
        var dataset = Create(folder, shape, uint16, overwrite: true);
        var images = dataset.Images;
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var volume = read(i, is2D ? Box.FromZyx(0, 0, 0, 1, frameShape[1], frameShape[2]) : null);
            var frame = volume.Span;
            long[] start = is2D ? [i, 0, 0] : [i, 0, 0, 0];
            long[] size = is2D ? [1, frameShape[1], frameShape[2]] : [1, .. frameShape];
            var region = new Box(start, size);
            if (uint16)
            {
                var values = new ushort[frame.Length];
                for (var k = 0; k < values.Length; k++) values[k] = Convert<ushort>(frame[k], divisor, overflow, ushort.MaxValue);
                images.Write<ushort>(region, values, cancellationToken: cancellationToken);
            }
            else
            {
                var values = new byte[frame.Length];
                for (var k = 0; k < values.Length; k++) values[k] = Convert<byte>(frame[k], divisor, overflow, byte.MaxValue);
                images.Write<byte>(region, values, cancellationToken: cancellationToken);
            }

            progress?.Report((i + 1, count));
        }

        return dataset;
    }

    private static T Convert<T>(ushort raw, double divisor, ElephantOverflow overflow, long max)
        where T : unmanaged
    {
        var value = (long)Math.Floor(raw / divisor);
        value = overflow == ElephantOverflow.Clip ? Math.Clamp(value, 0, max) : value & max;
        return typeof(T) == typeof(byte) ? (T)(object)(byte)value : (T)(object)(ushort)value;
    }

    private static IEnumerable<(string Name, ZarrArrayMetadata Metadata)> Layout(long[] shape, bool isUInt16)
    {
        var is2D = shape.Length == 3;
        var t = shape[0];
        var spatial = shape[1..];
        var (h, w) = (spatial[^2], spatial[^1]);
        long[] tile = [Math.Min(h, 1024), Math.Min(w, 1024)];
        long[] frameChunks = is2D ? [1, .. tile] : [1, 1, .. tile];
        var flowChannels = is2D ? 2 : 3;
        ZarrArrayMetadata Array(long[] s, long[] c, ZarrDataType d) => new()
        {
            Shape = s,
            Chunks = c,
            DataType = d,
            Compressor = ZarrCompressor.Default,
            FillValue = ZarrFillValue.ToJson(0, d),
        };

        yield return ("imgs.zarr", Array([t, .. spatial], frameChunks, new(ZarrElementKind.UInt, isUInt16 ? 2 : 1)));
        yield return ("seg_labels.zarr", Array([t, .. spatial], frameChunks, new(ZarrElementKind.UInt, 1)));
        yield return ("seg_labels_vis.zarr", Array([t, .. spatial, 3], [.. frameChunks, 1], new(ZarrElementKind.UInt, 1)));
        yield return ("seg_outputs.zarr", Array([t, .. spatial, 3], [.. frameChunks, 1], new(ZarrElementKind.Float, 2)));
        var pairs = t - 1;
        long[] flowChunks = [1, 1, .. (is2D ? tile : [1, .. tile])];
        yield return ("flow_labels.zarr", Array([pairs, flowChannels + 1, .. spatial], flowChunks, new(ZarrElementKind.Float, 4)));
        yield return ("flow_outputs.zarr", Array([pairs, flowChannels, .. spatial], flowChunks, new(ZarrElementKind.Float, 2)));
        yield return ("flow_hashes.zarr", Array([pairs], [Math.Max(pairs, 1)], new(ZarrElementKind.Bytes, 16)));
    }
}
