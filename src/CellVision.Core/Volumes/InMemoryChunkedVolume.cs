using System.Runtime.InteropServices;

namespace CellVision.Core.Volumes;

/// <summary>
/// A <see cref="Volume{T}"/> seen as an <see cref="IChunkedVolume"/>, so that block-wise algorithms written for arrays on
/// disk (Zarr, HDF5) also run on a volume in memory. Reads and writes copy; the volume stays owned by the caller.
/// </summary>
/// <typeparam name="T">The voxel type.</typeparam>
/// <param name="volume">The volume.</param>
public sealed class InMemoryChunkedVolume<T>(Volume<T> volume) : IChunkedVolume
    where T : unmanaged
{
    private readonly Volume<T> volume = volume ?? throw new ArgumentNullException(nameof(volume));

    /// <inheritdoc />
    public IReadOnlyList<long> Shape => volume.Shape;

    /// <inheritdoc />
    public int Rank => 3;

    /// <inheritdoc />
    public int ElementSize => Marshal.SizeOf<T>();

    /// <inheritdoc />
    public void Read<TElement>(Box region, Span<TElement> destination, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TElement : unmanaged
    {
        var rows = Rows<TElement>(region, destination.Length);
        var voxels = MemoryMarshal.Cast<T, TElement>(volume.Span);
        var width = (int)region.Size[2];
        for (var i = 0; i < rows.Length; i++)
        {
            voxels.Slice(rows[i], width).CopyTo(destination.Slice(i * width, width));
        }

        progress?.Report(1);
    }

    /// <inheritdoc />
    public void Write<TElement>(Box region, ReadOnlySpan<TElement> source, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TElement : unmanaged
    {
        var rows = Rows<TElement>(region, source.Length);
        var voxels = MemoryMarshal.Cast<T, TElement>(volume.Span);
        var width = (int)region.Size[2];
        for (var i = 0; i < rows.Length; i++)
        {
            source.Slice(i * width, width).CopyTo(voxels.Slice(rows[i], width));
        }

        progress?.Report(1);
    }

    /// <summary>The index of each region row's first voxel, after checking the element type and the sizes.</summary>
    private int[] Rows<TElement>(Box region, int length)
        where TElement : unmanaged
    {
        if (typeof(TElement) != typeof(T))
        {
            throw new ArgumentException($"The volume holds {typeof(T).Name} voxels, not {typeof(TElement).Name}.", nameof(TElement));
        }

        if (region.Rank != 3 || !volume.Bounds.Contains(region))
        {
            throw new ArgumentException($"{region} does not lie inside the {volume.Depth}×{volume.Height}×{volume.Width} volume.", nameof(region));
        }

        if (length != region.ElementCount)
        {
            throw new ArgumentException($"The buffer holds {length} elements but {region} has {region.ElementCount}.", nameof(length));
        }

        var (z0, y0, x0) = ((int)region.Start[0], (int)region.Start[1], (int)region.Start[2]);
        var (depth, height) = ((int)region.Size[0], (int)region.Size[1]);
        var rows = new int[depth * height];
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                rows[(z * height) + y] = ((((z0 + z) * volume.Height) + y0 + y) * volume.Width) + x0;
            }
        }

        return rows;
    }
}
