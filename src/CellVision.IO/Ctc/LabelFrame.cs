using System.Numerics;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;

namespace CellVision.IO.Ctc;

/// <summary>
/// A label image of one frame in its stored sample type (8, 16 or 32 bits; signed files are accepted when no label
/// is negative). 2-D images have depth 1. Dispose to return the voxels to the pool.
/// </summary>
public sealed class LabelFrame : IDisposable
{
    private LabelFrame(object volume, int depth, int height, int width, VoxelSize? voxelSize, string path)
    {
        Volume = volume;
        Depth = depth;
        Height = height;
        Width = width;
        VoxelSize = voxelSize;
        Path = path;
    }

    /// <summary>A <see cref="Volume{T}"/> of byte, ushort or uint.</summary>
    public object Volume { get; }

    /// <summary>Planes (1 for a 2-D image).</summary>
    public int Depth { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>The voxel size from the file's ImageJ metadata, if any.</summary>
    public VoxelSize? VoxelSize { get; }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The shape as "W×H" or "W×H×D", for messages.</summary>
    public string ShapeText => Depth == 1 ? $"{Width}×{Height}" : $"{Width}×{Height}×{Depth}";

    /// <summary>Reads a label TIFF (one page per Z plane).</summary>
    /// <param name="path">The TIFF file.</param>
    /// <exception cref="CtcFormatException">The file is not an 8-, 16- or 32-bit integer image, its pages differ, or it holds negative labels.</exception>
    public static LabelFrame Read(string path)
    {
        using var tiff = TiffFile.Open(path);
        var first = tiff.Pages[0];
        if (first.SampleFormat == TiffSampleFormat.FloatingPoint || first.BitsPerSample is not (8 or 16 or 32))
        {
            throw new CtcFormatException(path, "sample type", $"a label image must hold 8-, 16- or 32-bit integers, not {first.BitsPerSample}-bit {first.SampleFormat}.");
        }

        var mismatch = tiff.Pages.FirstOrDefault(p => p.Width != first.Width || p.Height != first.Height || p.BitsPerSample != first.BitsPerSample || p.SampleFormat != first.SampleFormat);
        if (mismatch is not null)
        {
            throw new CtcFormatException(path, $"page {mismatch.Index}", $"is {mismatch.Width}×{mismatch.Height} {mismatch.BitsPerSample}-bit, unlike page 0 ({first.Width}×{first.Height} {first.BitsPerSample}-bit).");
        }

        var voxelSize = tiff.ImageJ is { PixelWidth: > 0, PixelHeight: > 0 }
            ? new VoxelSize(tiff.ImageJ.PixelWidth!.Value, tiff.ImageJ.PixelHeight!.Value, tiff.ImageJ.Spacing is > 0 ? tiff.ImageJ.Spacing.Value : 1)
            : (VoxelSize?)null;
        var signed = first.SampleFormat == TiffSampleFormat.SignedInteger;
        return first.BitsPerSample switch
        {
            8 => Load<byte>(tiff, path, voxelSize, signed),
            16 => Load<ushort>(tiff, path, voxelSize, signed),
            _ => Load<uint>(tiff, path, voxelSize, signed),
        };
    }

    /// <summary>Whether the two frames have the same shape.</summary>
    /// <param name="other">The other frame.</param>
    public bool SameShape(LabelFrame other) => Depth == other.Depth && Height == other.Height && Width == other.Width;

    /// <summary>Returns the voxels to the pool.</summary>
    public void Dispose() => ((IDisposable)Volume).Dispose();

    private static LabelFrame Load<T>(TiffFile tiff, string path, VoxelSize? voxelSize, bool signed)
        where T : unmanaged, IBinaryInteger<T>
    {
        var first = tiff.Pages[0];
        var volume = new Volume<T>(tiff.Pages.Count, first.Height, first.Width);
        try
        {
            var planeBytes = first.Width * first.Height * first.BytesPerSample;
            for (var z = 0; z < tiff.Pages.Count; z++)
            {
                tiff.ReadPageBytes(z, volume.Bytes.Slice(z * planeBytes, planeBytes));
            }

            if (signed)
            {
                // The same bits read as unsigned: a negative label has its top bit set.
                var top = T.One << ((first.BitsPerSample) - 1);
                foreach (var value in volume.Span)
                {
                    if ((value & top) != T.Zero)
                    {
                        throw new CtcFormatException(path, "labels", "a label image holds a negative value.");
                    }
                }
            }

            return new LabelFrame(volume, volume.Depth, volume.Height, volume.Width, voxelSize, path);
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }
}
