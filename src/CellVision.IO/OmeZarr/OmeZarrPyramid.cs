using CellVision.Core.Volumes;

namespace CellVision.IO.OmeZarr;

/// <summary>Downsampling factors and downsampled levels for OME-Zarr pyramids.</summary>
internal static class OmeZarrPyramid
{
    /// <summary>Factors (Z, Y, X) per level: XY halve each level; Z halves once its voxels are no coarser than XY's.</summary>
    internal static List<(int Z, int Y, int X)> Factors<T>(Volume<T> volume, int? levels)
        where T : unmanaged
    {
        var result = new List<(int Z, int Y, int X)> { (1, 1, 1) };
        var size = volume.VoxelSize;
        while (levels is { } wanted ? result.Count < wanted : Math.Min(volume.Width, volume.Height) / result[^1].X >= 128)
        {
            var (z, _, xy) = result[^1];
            var nextXy = xy * 2;
            if (volume.Width / nextXy < 1 || volume.Height / nextXy < 1)
            {
                break;
            }

            var nextZ = size.Z * z * 2 <= size.X * nextXy * 1.5 && volume.Depth / (z * 2) >= 1 ? z * 2 : z;
            result.Add((nextZ, nextXy, nextXy));
        }

        return result;
    }

    /// <summary>Block mean (intensities; rounded to nearest for integers) or the first voxel of each block (labels).</summary>
    internal static Volume<T> Downsample<T>(Volume<T> source, (int Z, int Y, int X) factor, bool average)
        where T : unmanaged
    {
        var (fz, fy, fx) = factor;
        var result = new Volume<T>(Math.Max(1, source.Depth / fz), Math.Max(1, source.Height / fy), Math.Max(1, source.Width / fx),
            new CellVision.Core.Geometry.VoxelSize(source.VoxelSize.X * fx, source.VoxelSize.Y * fy, source.VoxelSize.Z * fz));
        Parallel.For(0, result.Depth, z =>
        {
            for (var y = 0; y < result.Height; y++)
            {
                var row = result.Row(z, y);
                for (var x = 0; x < result.Width; x++)
                {
                    if (!average)
                    {
                        row[x] = source.Row(z * fz, y * fy)[x * fx];
                        continue;
                    }

                    double sum = 0;
                    var count = 0;
                    for (var dz = 0; dz < fz && (z * fz) + dz < source.Depth; dz++)
                    for (var dy = 0; dy < fy && (y * fy) + dy < source.Height; dy++)
                    {
                        var sourceRow = source.Row((z * fz) + dz, (y * fy) + dy);
                        for (var dx = 0; dx < fx && (x * fx) + dx < source.Width; dx++)
                        {
                            sum += double.CreateTruncating(Number(sourceRow[(x * fx) + dx]));
                            count++;
                        }
                    }

                    row[x] = FromDouble<T>(sum / count);
                }
            }
        });
        return result;
    }

    private static double Number<T>(T value)
        where T : unmanaged => value switch
        {
            byte v => v,
            sbyte v => v,
            ushort v => v,
            short v => v,
            uint v => v,
            int v => v,
            ulong v => v,
            long v => v,
            Half v => (double)v,
            float v => v,
            double v => v,
            bool v => v ? 1 : 0,
            _ => throw new NotSupportedException(typeof(T).Name),
        };

    private static T FromDouble<T>(double value)
        where T : unmanaged
    {
        object result = default(T) switch
        {
            byte => (byte)Math.Round(value),
            sbyte => (sbyte)Math.Round(value),
            ushort => (ushort)Math.Round(value),
            short => (short)Math.Round(value),
            uint => (uint)Math.Round(value),
            int => (int)Math.Round(value),
            ulong => (ulong)Math.Round(value),
            long => (long)Math.Round(value),
            Half => (Half)value,
            float => (float)value,
            double => value,
            bool => value >= 0.5,
            _ => throw new NotSupportedException(typeof(T).Name),
        };
        return (T)result;
    }
}
