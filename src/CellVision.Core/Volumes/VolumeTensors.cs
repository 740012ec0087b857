using System.Numerics.Tensors;

namespace CellVision.Core.Volumes;

/// <summary>
/// Zero-copy interop between <see cref="Volume{T}"/> and System.Numerics.Tensors: a volume, or any region of it, as a
/// <see cref="TensorSpan{T}"/> of lengths (Z, Y, X) whose writes go straight to the volume.
/// </summary>
public static class VolumeTensors
{
    /// <summary>The whole volume as a tensor span of lengths (depth, height, width).</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    public static TensorSpan<T> AsTensorSpan<T>(this Volume<T> volume)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new TensorSpan<T>(volume.Span, [volume.Depth, volume.Height, volume.Width]);
    }

    /// <summary>A region of the volume as a strided tensor span (a view: no voxel is copied).</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="region">A Z, Y, X box inside the volume.</param>
    /// <exception cref="ArgumentException">The region is not three-dimensional or leaves the volume.</exception>
    public static TensorSpan<T> AsTensorSpan<T>(this Volume<T> volume, Box region)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (region.Rank != 3 || !volume.Bounds.Contains(region))
        {
            throw new ArgumentException($"{region} does not lie inside the {volume.Depth}×{volume.Height}×{volume.Width} volume.", nameof(region));
        }

        var (z, y, x) = ((int)region.Start[0], (int)region.Start[1], (int)region.Start[2]);
        var (d, h, w) = ((int)region.Size[0], (int)region.Size[1], (int)region.Size[2]);
        if (d == 0 || h == 0 || w == 0)
        {
            return new TensorSpan<T>(Span<T>.Empty, [d, h, w], [0, 0, 0]);
        }

        var start = (((z * volume.Height) + y) * volume.Width) + x;
        var last = (((z + d - 1) * volume.Height) + (y + h - 1)) * volume.Width + (x + w - 1);
        return new TensorSpan<T>(volume.Span[start..(last + 1)], [d, h, w], [volume.Height * volume.Width, volume.Width, 1]);
    }

    /// <summary>Copies a tensor of lengths (depth, height, width) into a new volume.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="tensor">A three-dimensional tensor span.</param>
    /// <param name="voxelSize">The voxel size, or null for 1 µm isotropic.</param>
    /// <exception cref="ArgumentException">The tensor is not three-dimensional.</exception>
    public static Volume<T> ToVolume<T>(this ReadOnlyTensorSpan<T> tensor, Geometry.VoxelSize? voxelSize = null)
        where T : unmanaged
    {
        if (tensor.Rank != 3)
        {
            throw new ArgumentException($"A volume needs a three-dimensional tensor; this one has rank {tensor.Rank}.", nameof(tensor));
        }

        var lengths = tensor.Lengths;
        var volume = new Volume<T>(checked((int)lengths[0]), checked((int)lengths[1]), checked((int)lengths[2]), voxelSize);
        tensor.CopyTo(volume.AsTensorSpan());
        return volume;
    }
}
