using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.IO.Hdf5;
using CellVision.IO.Movies;
using CellVision.IO.OmeZarr;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.V3;

namespace CellVision.Cli.Commands;

/// <summary>
/// Reads one Z, Y, X label volume in the integer type its file holds: TIFF stacks (8, 16 or 32 bits, signed or not),
/// Zarr v2/v3 and OME-Zarr arrays (any integer dtype), HDF5 datasets named after the file as in
/// <c>labels.h5/stack</c>, and the other formats of <c>convert</c> (16-bit, one timepoint).
/// </summary>
internal static class LabelVolumeFiles
{
    private static readonly string[] Hdf5Extensions = [".h5", ".hdf5", ".hdf"];

    internal static LabelVolume Read(string path, CancellationToken cancellationToken)
    {
        if (Hdf5Dataset(path) is { } dataset)
        {
            return ReadHdf5(dataset.File, dataset.Name, path);
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        if (File.Exists(Path.Combine(path, ".zarray")) || File.Exists(Path.Combine(path, "zarr.json")) || File.Exists(Path.Combine(path, ".zattrs")))
        {
            return IsOmeZarr(path) ? ReadChunked(OmeZarrImage.Open(path).Levels[0].Array, path, cancellationToken) : ReadChunked(OpenZarr(path), path, cancellationToken);
        }

        var format = MovieFiles.Guess(path, forWriting: false);
        return format == MovieFormat.Tiff ? ReadTiff(path, cancellationToken) : ReadMovie(path, format, cancellationToken);
    }

    /// <summary>Splits <c>file.h5/group/dataset</c> into the file and the dataset, when the path names one.</summary>
    private static (string File, string Name)? Hdf5Dataset(string path)
    {
        foreach (var extension in Hdf5Extensions)
        {
            var at = path.IndexOf(extension + "/", StringComparison.OrdinalIgnoreCase);
            if (at > 0)
            {
                return (path[..(at + extension.Length)], path[(at + extension.Length)..]);
            }
        }

        if (Hdf5Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"'{path}' is an HDF5 file; name the dataset after it, e.g. '{path}/stack'.");
        }

        return null;
    }

    private static LabelVolume ReadHdf5(string file, string dataset, string source)
    {
        using var hdf5 = Hdf5File.Open(file);
        if (!hdf5.Exists(dataset))
        {
            throw new ArgumentException($"'{file}' has no dataset '{dataset}'.");
        }

        var (depth, height, width) = Spatial(hdf5.GetShape(dataset), source);
        var volume = new Volume<long>(depth, height, width);
        try
        {
            // libhdf5 converts any integer dataset to int64 on the way.
            hdf5.Read(dataset, Box.FromShape([depth, height, width]), volume.Span);
            return LabelVolume.Of(volume, source, "int64");
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    private static LabelVolume ReadTiff(string path, CancellationToken cancellationToken)
    {
        using var tiff = TiffFile.Open(path);
        var page = tiff.Pages[0];
        return (page.SampleFormat, page.BitsPerSample) switch
        {
            (TiffSampleFormat.UnsignedInteger, 8) => LabelVolume.Of(tiff.ReadStack<byte>(cancellationToken), path, "uint8"),
            (TiffSampleFormat.SignedInteger, 8) => LabelVolume.Of(tiff.ReadStack<sbyte>(cancellationToken), path, "int8"),
            (TiffSampleFormat.UnsignedInteger, 16) => LabelVolume.Of(tiff.ReadStack<ushort>(cancellationToken), path, "uint16"),
            (TiffSampleFormat.SignedInteger, 16) => LabelVolume.Of(tiff.ReadStack<short>(cancellationToken), path, "int16"),
            (TiffSampleFormat.UnsignedInteger, 32) => LabelVolume.Of(tiff.ReadStack<uint>(cancellationToken), path, "uint32"),
            (TiffSampleFormat.SignedInteger, 32) => LabelVolume.Of(tiff.ReadStack<int>(cancellationToken), path, "int32"),
            _ => throw new NotSupportedException($"'{path}' holds {page.BitsPerSample}-bit {page.SampleFormat} voxels; labels must be 8-, 16- or 32-bit integers."),
        };
    }

    private static bool IsOmeZarr(string path) =>
        ContainsMultiscales(Path.Combine(path, ".zattrs")) || ContainsMultiscales(Path.Combine(path, "zarr.json"));

    private static bool ContainsMultiscales(string file) =>
        File.Exists(file) && File.ReadAllText(file).Contains("multiscales", StringComparison.Ordinal);

    private static ChunkedArray OpenZarr(string path) =>
        File.Exists(Path.Combine(path, "zarr.json")) ? ZarrV3Array.Open(path) : ZarrArray.Open(path);

    private static LabelVolume ReadChunked(ChunkedArray array, string path, CancellationToken cancellationToken)
    {
        var type = array switch
        {
            ZarrArray v2 => v2.Metadata.DataType,
            ZarrV3Array v3 => v3.DataType,
            _ => throw new NotSupportedException($"'{path}' is not a Zarr array."),
        };
        return (type.Kind, type.Size) switch
        {
            (ZarrElementKind.UInt, 1) => ReadChunked<byte>(array, path, "uint8", cancellationToken),
            (ZarrElementKind.Int, 1) => ReadChunked<sbyte>(array, path, "int8", cancellationToken),
            (ZarrElementKind.UInt, 2) => ReadChunked<ushort>(array, path, "uint16", cancellationToken),
            (ZarrElementKind.Int, 2) => ReadChunked<short>(array, path, "int16", cancellationToken),
            (ZarrElementKind.UInt, 4) => ReadChunked<uint>(array, path, "uint32", cancellationToken),
            (ZarrElementKind.Int, 4) => ReadChunked<int>(array, path, "int32", cancellationToken),
            (ZarrElementKind.UInt, 8) => ReadChunked<ulong>(array, path, "uint64", cancellationToken),
            (ZarrElementKind.Int, 8) => ReadChunked<long>(array, path, "int64", cancellationToken),
            _ => throw new NotSupportedException($"'{path}' holds {type.V3Name} voxels; labels must be integers."),
        };
    }

    private static LabelVolume ReadChunked<T>(ChunkedArray array, string path, string typeName, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        var (depth, height, width) = Spatial([.. array.Shape], path);
        var volume = new Volume<T>(depth, height, width);
        try
        {
            array.Read(array.Bounds, volume.Span, cancellationToken: cancellationToken);
            return LabelVolume.Of(volume, path, typeName);
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    private static LabelVolume ReadMovie(string path, MovieFormat format, CancellationToken cancellationToken)
    {
        var frames = MovieFiles.Read(path, format, cancellationToken);
        if (frames.Count != 1)
        {
            frames.ForEach(f => f.Dispose());
            throw new ArgumentException($"'{path}' holds {frames.Count} timepoints; a label volume is one Z, Y, X stack.");
        }

        return LabelVolume.Of(frames[0], path, "uint16");
    }

    /// <summary>The Z, Y, X extent of an array whose other dimensions are 1 (a leading time or channel axis, or a missing Z).</summary>
    private static (int Depth, int Height, int Width) Spatial(long[] shape, string path)
    {
        var squeezed = shape.SkipWhile((size, i) => size == 1 && shape.Length - i > 3).ToArray();
        if (squeezed.Length is < 2 or > 3)
        {
            throw new ArgumentException($"'{path}' has shape [{string.Join(", ", shape)}]; a label volume is Z, Y, X (leading axes of size 1 are dropped).");
        }

        var zyx = squeezed.Length == 2 ? [1, .. squeezed] : squeezed;
        return checked(((int)zyx[0], (int)zyx[1], (int)zyx[2]));
    }
}
