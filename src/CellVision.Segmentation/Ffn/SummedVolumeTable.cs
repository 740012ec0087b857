using System.Numerics.Tensors;

namespace CellVision.Segmentation;

/// <summary>
/// Counts the voxels of one value in any axis-aligned box of a region of a volume in eight lookups: a summed-volume
/// table (3-D prefix sums with one leading zero plane per axis) of the indicator "voxel equals the value".
/// The buffer is reused between regions, so one table serves one worker thread.
/// </summary>
internal sealed class SummedVolumeTable
{
    private int[] table = [];
    private int planeStride;
    private int rowStride;

    /// <summary>Fills the table for the voxels of <paramref name="region"/> equal to <paramref name="value"/>.</summary>
    /// <param name="voxels">The whole volume, Z, Y, X in C order.</param>
    /// <param name="height">The volume's height (Y).</param>
    /// <param name="width">The volume's width (X).</param>
    /// <param name="region">Corner and size, Z, Y, X, of the region inside the volume.</param>
    /// <param name="value">The value counted.</param>
    public void Fill<T>(ReadOnlySpan<T> voxels, int height, int width, RegionBox region, T value)
        where T : IEquatable<T>
    {
        rowStride = region.Width + 1;
        planeStride = (region.Height + 1) * rowStride;
        var length = (long)(region.Depth + 1) * planeStride;
        if (length > Array.MaxLength)
        {
            throw new NotSupportedException($"a region of {region.Depth}×{region.Height}×{region.Width} voxels needs a summed-volume table longer than the largest array.");
        }

        if (table.Length < length)
        {
            table = new int[length];
        }

        var all = table.AsSpan(0, (int)length);
        all[..planeStride].Clear();
        for (var z = 1; z <= region.Depth; z++)
        {
            var plane = all.Slice(z * planeStride, planeStride);
            plane[..rowStride].Clear();
            for (var y = 1; y <= region.Height; y++)
            {
                var source = voxels.Slice((((region.Z + z - 1) * height) + region.Y + y - 1) * width + region.X, region.Width);
                var row = plane.Slice(y * rowStride, rowStride);
                row[0] = 0;
                var running = 0;
                for (var x = 0; x < source.Length; x++)
                {
                    running += source[x].Equals(value) ? 1 : 0;
                    row[x + 1] = running;
                }

                // Row prefix plus the row above gives the plane's 2-D prefix sums.
                TensorPrimitives.Add(row, plane.Slice((y - 1) * rowStride, rowStride), row);
            }

            // Plus the previous plane's table gives the 3-D prefix sums.
            TensorPrimitives.Add(plane, all.Slice((z - 1) * planeStride, planeStride), plane);
        }
    }

    /// <summary>The count in the box [z0, z1) × [y0, y1) × [x0, x1) of region coordinates (0 ≤ start ≤ end ≤ size).</summary>
    public int Count(int z0, int y0, int x0, int z1, int y1, int x1)
    {
        var t = table;
        int a0 = z0 * planeStride, a1 = z1 * planeStride, b0 = y0 * rowStride, b1 = y1 * rowStride;
        return t[a1 + b1 + x1] - t[a0 + b1 + x1] - t[a1 + b0 + x1] - t[a1 + b1 + x0]
            + t[a0 + b0 + x1] + t[a0 + b1 + x0] + t[a1 + b0 + x0] - t[a0 + b0 + x0];
    }
}
