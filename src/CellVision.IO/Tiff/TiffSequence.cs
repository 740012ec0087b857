using System.Globalization;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Tiff;

/// <summary>
/// Converts between a sequence of TIFF files (one per time point; multi-page files are Z stacks) and one Zarr v2 array
/// whose first axis is the file index. Files are taken in natural numeric order ("t2" before "t10").
/// </summary>
public static class TiffSequence
{
    /// <summary>The TIFF files of <paramref name="folder"/> matching <paramref name="pattern"/>, in natural order.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="pattern">A file pattern (default "*.tif*").</param>
    public static IReadOnlyList<string> Find(string folder, string pattern = "*.tif*") =>
        Directory.EnumerateFiles(folder, pattern).Order(NaturalOrder.Instance).ToList();

    /// <summary>Writes the files as one array (N, Y, X) for single-page files or (N, Z, Y, X) for stacks.</summary>
    /// <param name="files">The files, in the order wanted (see <see cref="Find"/>).</param>
    /// <param name="zarrPath">The array to create.</param>
    /// <param name="compressor">Chunk compressor (default zarr-python 2's Blosc).</param>
    /// <param name="progress">Receives the fraction of files done.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    /// <exception cref="TiffFormatException">The files differ in size or sample type.</exception>
    public static ZarrArray ToZarr(IReadOnlyList<string> files, string zarrPath, ZarrCompressor? compressor = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var array = CreateZarr(files, zarrPath, compressor, overwrite: true);
        WriteFrames(files, array, 0, files.Count, progress, cancellationToken);
        return array;
    }

    /// <summary>
    /// Creates the empty array that <see cref="ToZarr"/> fills: shape (N, Y, X) or (N, Z, Y, X) from the first file,
    /// chunks of one timepoint, one plane and at most 512 × 512 pixels, so that timepoints never share a chunk.
    /// </summary>
    /// <param name="files">The files, in order; only the first is read.</param>
    /// <param name="zarrPath">The array to create.</param>
    /// <param name="compressor">Chunk compressor (default zarr-python 2's Blosc).</param>
    /// <param name="overwrite">Whether an existing array at <paramref name="zarrPath"/> is replaced.</param>
    public static ZarrArray CreateZarr(IReadOnlyList<string> files, string zarrPath, ZarrCompressor? compressor = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("No TIFF files were given.", nameof(files));
        }

        using var tiff = TiffFile.Open(files[0]);
        var first = tiff.Pages[0];
        var depth = tiff.Pages.Count;
        var type = new ZarrDataType(first.SampleFormat switch
        {
            TiffSampleFormat.FloatingPoint => ZarrElementKind.Float,
            TiffSampleFormat.SignedInteger => ZarrElementKind.Int,
            _ => ZarrElementKind.UInt,
        }, first.BytesPerSample);
        long[] frame = depth > 1 ? [depth, first.Height, first.Width] : [first.Height, first.Width];
        return ZarrArray.Create(zarrPath, new ZarrArrayMetadata
        {
            Shape = [files.Count, .. frame],
            Chunks = [1, .. frame.Select((s, i) => i == frame.Length - 1 || i == frame.Length - 2 ? Math.Min(s, 512) : 1)],
            DataType = type,
            Compressor = compressor ?? ZarrCompressor.Default,
            FillValue = ZarrFillValue.ToJson(0, type),
        }, overwrite);
    }

    /// <summary>Writes files <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 into their timepoints of an array made by <see cref="CreateZarr"/>.</summary>
    /// <param name="files">All the files of the array, in order.</param>
    /// <param name="array">The array.</param>
    /// <param name="first">The first timepoint to write.</param>
    /// <param name="count">How many timepoints to write.</param>
    /// <param name="progress">Receives the fraction of these files done.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    /// <exception cref="TiffFormatException">A file differs from the array in size or sample type.</exception>
    public static void WriteFrames(IReadOnlyList<string> files, ZarrArray array, int first, int count, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(array);
        if (first < 0 || count < 0 || first + count > files.Count || files.Count != array.Shape[0])
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"timepoints {first}..{first + count - 1} do not lie in the {files.Count} files of an array of {array.Shape[0]} timepoints.");
        }

        var frame = array.Shape.Skip(1).ToArray();
        var depth = frame.Length == 3 ? (int)frame[0] : 1;
        var (height, width) = ((int)frame[^2], (int)frame[^1]);
        var planeBytes = width * height * array.ElementSize;
        var buffer = new byte[planeBytes * depth];
        for (var n = first; n < first + count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var tiff = TiffFile.Open(files[n]);
            var page = tiff.Pages[0];
            if (tiff.Pages.Count != depth || page.Width != width || page.Height != height || page.BytesPerSample != array.ElementSize)
            {
                throw new TiffFormatException(files[n], "page 0", $"is {tiff.Pages.Count}×{page.Height}×{page.Width} {page.BitsPerSample}-bit {page.SampleFormat}, unlike the array ({depth}×{height}×{width}, {array.ElementSize}-byte samples, from {files[0]}).");
            }

            for (var z = 0; z < depth; z++)
            {
                tiff.ReadPageBytes(z, buffer.AsSpan(z * planeBytes, planeBytes));
            }

            array.WriteBytes(new Box([n, .. new long[frame.Length]], [1, .. frame]), buffer, cancellationToken: cancellationToken);
            progress?.Report((double)(n - first + 1) / count);
        }
    }

    /// <summary>Writes each index of the first axis of <paramref name="array"/> as one TIFF file (<c>prefix000.tif</c>, …).</summary>
    /// <param name="array">An array of shape (N, Y, X) or (N, Z, Y, X) with 8/16/32-bit integer or 32-bit float elements.</param>
    /// <param name="folder">The folder to write into (created if needed).</param>
    /// <param name="prefix">File name prefix (default "t").</param>
    /// <param name="options">TIFF options (default uncompressed).</param>
    /// <returns>The files written, in order.</returns>
    public static IReadOnlyList<string> FromZarr(ZarrArray array, string folder, string prefix = "t", TiffWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Rank is not (3 or 4))
        {
            throw new ArgumentException($"The array has {array.Rank} dimensions; expected (N, Y, X) or (N, Z, Y, X).", nameof(array));
        }

        Directory.CreateDirectory(folder);
        var shape = array.Shape;
        var digits = Math.Max(3, shape[0].ToString(CultureInfo.InvariantCulture).Length);
        var files = new List<string>();
        for (var n = 0; n < shape[0]; n++)
        {
            var region = new Box([n, .. new long[array.Rank - 1]], [1, .. shape.Skip(1)]);
            var bytes = new byte[region.ElementCount * array.ElementSize];
            array.ReadBytes(region, bytes);
            var path = Path.Combine(folder, $"{prefix}{n.ToString(new string('0', digits), CultureInfo.InvariantCulture)}.tif");
            var (height, width) = ((int)shape[^2], (int)shape[^1]);
            var type = array.Metadata.DataType;
            switch (type.Kind, type.Size)
            {
                case (ZarrElementKind.UInt, 1): Write<byte>(path, bytes, width, height, options); break;
                case (ZarrElementKind.Int, 1): Write<sbyte>(path, bytes, width, height, options); break;
                case (ZarrElementKind.UInt, 2): Write<ushort>(path, bytes, width, height, options); break;
                case (ZarrElementKind.Int, 2): Write<short>(path, bytes, width, height, options); break;
                case (ZarrElementKind.UInt, 4): Write<uint>(path, bytes, width, height, options); break;
                case (ZarrElementKind.Int, 4): Write<int>(path, bytes, width, height, options); break;
                case (ZarrElementKind.Float, 4): Write<float>(path, bytes, width, height, options); break;
                default: throw new NotSupportedException($"{type} elements cannot be stored in TIFF; convert to an 8/16/32-bit integer or float32 array first.");
            }

            files.Add(path);
        }

        return files;
    }

    private static void Write<T>(string path, byte[] bytes, int width, int height, TiffWriteOptions? options)
        where T : unmanaged
    {
        var samples = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        var planes = Enumerable.Range(0, samples.Length / (width * height)).Select(z => (ReadOnlyMemory<T>)samples.AsMemory(z * width * height, width * height)).ToList();
        TiffWriter.Write(path, planes, width, height, options);
    }
}
