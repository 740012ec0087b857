using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// Block mean (intensities; rounded half to even for integers) or the first voxel of each block (labels). Blocks
    /// are summed row by row into a per-thread accumulator, so each source voxel is read once, in memory order.
    /// </summary>
    internal static Volume<T> Downsample<T>(Volume<T> source, (int Z, int Y, int X) factor, bool average)
        where T : unmanaged
    {
        var (fz, fy, fx) = factor;
        var result = new Volume<T>(Math.Max(1, source.Depth / fz), Math.Max(1, source.Height / fy), Math.Max(1, source.Width / fx),
            new CellVision.Core.Geometry.VoxelSize(source.VoxelSize.X * fx, source.VoxelSize.Y * fy, source.VoxelSize.Z * fz));
        var width = result.Width;
        var blockWidth = Math.Min(fx, source.Width);
        Parallel.For(0, result.Depth, () => new double[width], (z, _, sums) =>
        {
            var planes = Math.Min(fz, source.Depth - (z * fz));
            for (var y = 0; y < result.Height; y++)
            {
                var row = result.Row(z, y);
                if (!average)
                {
                    var first = source.Row(z * fz, y * fy);
                    for (var x = 0; x < width; x++)
                    {
                        row[x] = first[x * fx];
                    }

                    continue;
                }

                var rows = Math.Min(fy, source.Height - (y * fy));
                Array.Clear(sums);
                for (var dz = 0; dz < planes; dz++)
                {
                    for (var dy = 0; dy < rows; dy++)
                    {
                        AddBlocks(source.Row((z * fz) + dz, (y * fy) + dy), sums, fx, blockWidth);
                    }
                }

                var count = (double)(planes * rows * blockWidth);
                for (var x = 0; x < width; x++)
                {
                    row[x] = FromDouble<T>(sums[x] / count);
                }
            }

            return sums;
        }, _ => { });
        return result;
    }

    /// <summary>Adds the first <paramref name="blockWidth"/> voxels of each block of <paramref name="factor"/> voxels of <paramref name="row"/> to <paramref name="sums"/>.</summary>
    private static void AddBlocks<T>(ReadOnlySpan<T> row, double[] sums, int factor, int blockWidth)
        where T : unmanaged
    {
        if (typeof(T) == typeof(ushort))
        {
            AddIntegerBlocks(MemoryMarshal.Cast<T, ushort>(row), sums, factor, blockWidth);
        }
        else if (typeof(T) == typeof(byte))
        {
            AddIntegerBlocks(MemoryMarshal.Cast<T, byte>(row), sums, factor, blockWidth);
        }
        else
        {
            for (var x = 0; x < sums.Length; x++)
            {
                var sum = 0.0;
                foreach (var v in row.Slice(x * factor, blockWidth))
                {
                    sum += Number(v);
                }

                sums[x] += sum;
            }
        }
    }

    /// <summary><see cref="AddBlocks{T}"/> for integer voxels, each block summed exactly in a long.</summary>
    private static void AddIntegerBlocks<TInt>(ReadOnlySpan<TInt> row, double[] sums, int factor, int blockWidth)
        where TInt : unmanaged, IBinaryInteger<TInt>
    {
        for (var x = 0; x < sums.Length; x++)
        {
            var sum = 0L;
            foreach (var v in row.Slice(x * factor, blockWidth))
            {
                sum += long.CreateTruncating(v);
            }

            sums[x] += sum;
        }
    }

    private static double Number<T>(T value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref value);
        if (typeof(T) == typeof(sbyte)) return Unsafe.As<T, sbyte>(ref value);
        if (typeof(T) == typeof(ushort)) return Unsafe.As<T, ushort>(ref value);
        if (typeof(T) == typeof(short)) return Unsafe.As<T, short>(ref value);
        if (typeof(T) == typeof(uint)) return Unsafe.As<T, uint>(ref value);
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(ulong)) return Unsafe.As<T, ulong>(ref value);
        if (typeof(T) == typeof(long)) return Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(Half)) return (double)Unsafe.As<T, Half>(ref value);
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref value);
        if (typeof(T) == typeof(double)) return Unsafe.As<T, double>(ref value);
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref value) ? 1 : 0;
        throw new NotSupportedException(typeof(T).Name);
    }

    private static T FromDouble<T>(double value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return As<byte, T>((byte)Math.Round(value));
        if (typeof(T) == typeof(sbyte)) return As<sbyte, T>((sbyte)Math.Round(value));
        if (typeof(T) == typeof(ushort)) return As<ushort, T>((ushort)Math.Round(value));
        if (typeof(T) == typeof(short)) return As<short, T>((short)Math.Round(value));
        if (typeof(T) == typeof(uint)) return As<uint, T>((uint)Math.Round(value));
        if (typeof(T) == typeof(int)) return As<int, T>((int)Math.Round(value));
        if (typeof(T) == typeof(ulong)) return As<ulong, T>((ulong)Math.Round(value));
        if (typeof(T) == typeof(long)) return As<long, T>((long)Math.Round(value));
        if (typeof(T) == typeof(Half)) return As<Half, T>((Half)value);
        if (typeof(T) == typeof(float)) return As<float, T>((float)value);
        if (typeof(T) == typeof(double)) return As<double, T>(value);
        if (typeof(T) == typeof(bool)) return As<bool, T>(value >= 0.5);
        throw new NotSupportedException(typeof(T).Name);

        static TTo As<TFrom, TTo>(TFrom from) => Unsafe.As<TFrom, TTo>(ref from);
    }
}
