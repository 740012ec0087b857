using System.Globalization;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// Training centres for flood-filling networks, as google/ffn's <c>build_coordinates.py</c> draws them from partition
/// volumes (<see cref="FloodFillPartitions"/>): every partition value, background included, is sampled equally often.
/// </summary>
/// <remarks>
/// For each partition value (255 ignored), every voxel inside the margins of every volume is collected; each value's
/// list is permuted at random and repeated cyclically up to the size of the largest (NumPy's <c>np.resize</c>), so each
/// position appears ⌊max / n⌋ or ⌈max / n⌉ times; the lists are concatenated and shuffled together. Unlike the
/// reference, the order can be seeded (<see cref="FloodFillCoordinateOptions.Seed"/>); NumPy's random stream is not
/// reproduced, so only the balance, not the order, equals the reference's.
/// </remarks>
public static class FloodFillCoordinates
{
    /// <summary>Draws the balanced, shuffled training centres from partition volumes.</summary>
    /// <param name="partitions">One or more partition volumes; a coordinate's <see cref="FloodFillCoordinate.Volume"/> is the index here.</param>
    /// <param name="names">The volumes' names, one per volume (the reference's <c>volume_name</c>); null names them "0", "1", ….</param>
    /// <param name="options">Margin and seed; null for the README's margin of 24 voxels and an unseeded order.</param>
    /// <param name="cancellationToken">Stops between volumes and partitions.</param>
    /// <returns>The coordinates, the volumes' names and shapes, and the partition counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partitions"/> or one of its volumes is null.</exception>
    /// <exception cref="ArgumentException">No volume is given, the names do not match the volumes, no voxel can be sampled, or there would be more coordinates than an array holds.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static FloodFillCoordinateSet Build(
        IReadOnlyList<Volume<byte>> partitions,
        IReadOnlyList<string>? names = null,
        FloodFillCoordinateOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        options ??= new FloodFillCoordinateOptions();
        options.Validate();
        if (partitions.Count == 0)
        {
            throw new ArgumentException("Give at least one partition volume.", nameof(partitions));
        }

        if (names is not null && names.Count != partitions.Count)
        {
            throw new ArgumentException($"{names.Count} names were given for {partitions.Count} volumes.", nameof(names));
        }

        var volumes = new List<FloodFillCoordinateVolume>(partitions.Count);
        var totals = new long[256];
        for (var v = 0; v < partitions.Count; v++)
        {
            var volume = partitions[v] ?? throw new ArgumentNullException(nameof(partitions), $"Partition volume {v} is null.");
            volumes.Add(new FloodFillCoordinateVolume(names?[v] ?? v.ToString(CultureInfo.InvariantCulture), volume.Depth, volume.Height, volume.Width));
            ForEachSampledRow(volume, options.Margin, (row, _, _, _) =>
            {
                foreach (var value in row)
                {
                    totals[value]++;
                }
            });
        }

        totals[FloodFillPartitions.Excluded] = 0;
        var present = Enumerable.Range(0, 255).Where(p => totals[p] > 0).ToArray();
        if (present.Length == 0)
        {
            throw new ArgumentException("No voxel inside the margins can be sampled: the volumes are too small for the margin, or every voxel is 255.", nameof(partitions));
        }

        var perPartition = totals.Max();
        if (perPartition * present.Length > Array.MaxLength)
        {
            throw new ArgumentException($"{present.Length} partitions of {perPartition} centres each exceed the largest array; sample fewer or smaller volumes.", nameof(partitions));
        }

        var lists = Collect(partitions, options.Margin, totals, present, cancellationToken);
        var random = options.Seed is int seed ? new Random(seed) : new Random();
        var balanced = new FloodFillCoordinate[perPartition * present.Length];
        for (var p = 0; p < present.Length; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = lists[p];
            random.Shuffle(list);
            var target = balanced.AsSpan((int)(p * perPartition), (int)perPartition);
            for (var start = 0; start < target.Length; start += list.Length)
            {
                list.AsSpan(0, Math.Min(list.Length, target.Length - start)).CopyTo(target[start..]);
            }

            lists[p] = [];
        }

        random.Shuffle(balanced);
        return new FloodFillCoordinateSet(volumes, balanced, present.ToDictionary(p => (byte)p, p => totals[p]), checkCoordinates: false);
    }

    /// <summary>Every sampled position, one array per present partition value, in C order of volume, z, y, x.</summary>
    private static FloodFillCoordinate[][] Collect(IReadOnlyList<Volume<byte>> partitions, (int Z, int Y, int X) margin, long[] totals, int[] present, CancellationToken cancellationToken)
    {
        var slot = new int[256];
        Array.Fill(slot, -1);
        var lists = new FloodFillCoordinate[present.Length][];
        for (var p = 0; p < present.Length; p++)
        {
            slot[present[p]] = p;
            lists[p] = new FloodFillCoordinate[totals[present[p]]];
        }

        var filled = new int[present.Length];
        for (var v = 0; v < partitions.Count; v++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var volume = v;
            ForEachSampledRow(partitions[v], margin, (row, z, y, x0) =>
            {
                for (var x = 0; x < row.Length; x++)
                {
                    if (slot[row[x]] is var p and >= 0)
                    {
                        lists[p][filled[p]++] = new FloodFillCoordinate(volume, z, y, x0 + x);
                    }
                }
            });
        }

        return lists;
    }

    private delegate void RowAction(ReadOnlySpan<byte> row, int z, int y, int x0);

    /// <summary>Calls <paramref name="action"/> with every row of the volume inside the margins, its z, y and first x.</summary>
    private static void ForEachSampledRow(Volume<byte> volume, (int Z, int Y, int X) margin, RowAction action)
    {
        var width = volume.Width - (2 * margin.X);
        if (width <= 0)
        {
            return;
        }

        for (var z = margin.Z; z < volume.Depth - margin.Z; z++)
        {
            for (var y = margin.Y; y < volume.Height - margin.Y; y++)
            {
                action(volume.Row(z, y).Slice(margin.X, width), z, y, margin.X);
            }
        }
    }
}
