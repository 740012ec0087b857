using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// Training partitions for flood-filling networks, as google/ffn's <c>compute_partitions.py</c> computes them: every
/// voxel of an object is put in a partition by the fraction of the (2r + 1)³ box around it that its own label fills,
/// so that training can sample thin and thick parts of objects, and the background, equally often
/// (<see cref="FloodFillCoordinates"/>).
/// </summary>
/// <remarks>
/// <para>
/// Steps (reference semantics, voxel for voxel): labels with fewer than <see cref="FloodFillPartitionOptions.MinimumSize"/>
/// voxels become background; for each voxel of a remaining label l ≠ 0 whose box lies inside the volume, the fraction
/// f = (voxels of l in the box) / (2r + 1)³ is quantised to 1 + the index of the first threshold above f, or
/// thresholds + 1 when f reaches the last; background voxels are 0; the border of width r is
/// <see cref="Excluded"/>. The output has the input's full shape, as the reference's HDF5 dataset with fill value 255.
/// </para>
/// <para>
/// The reference builds a summed-volume table of the whole volume for every label; here each label's table covers
/// only its bounding box grown by r, and labels run in parallel, so the cost follows the objects' extents rather than
/// labels × volume.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var map = FloodFillPartitions.Compute(groundTruth);   // README defaults: r = 24, min size 10000, 12 thresholds
/// Console.WriteLine(string.Join(", ", map.Counts));
/// </code>
/// </example>
public static class FloodFillPartitions
{
    /// <summary>The value of voxels that are never sampled: the border of one box radius and masked places (the reference's 255).</summary>
    public const byte Excluded = 255;

    /// <summary>Bytes of summed-volume tables that parallel workers may hold at once; one worker always runs.</summary>
    private const long TableBudgetBytes = 2L << 30;

    /// <summary>Computes the partitions of a label volume.</summary>
    /// <typeparam name="T">The label type (an integer type: byte, ushort, uint, int, ulong, long, …); 0 is background.</typeparam>
    /// <param name="labels">The label volume, Z, Y, X; not changed (dust is dropped on the fly).</param>
    /// <param name="options">Thresholds, box radius and minimum size; null for the README's defaults.</param>
    /// <param name="exclusionMask">
    /// Optional mask of the input's shape: every voxel whose box holds at least one true voxel becomes
    /// <see cref="Excluded"/>, as the reference's <c>mask_configs</c> does.
    /// </param>
    /// <param name="progress">Receives the labels done and the labels to do, from worker threads.</param>
    /// <param name="cancellationToken">Stops between labels.</param>
    /// <returns>The partitions and their counts; the caller disposes the map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The mask's shape differs from the labels'.</exception>
    public static FloodFillPartitionMap Compute<T>(
        Volume<T> labels,
        FloodFillPartitionOptions? options = null,
        Volume<bool>? exclusionMask = null,
        IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new FloodFillPartitionOptions();
        options.Validate();
        if (exclusionMask is not null && (exclusionMask.Depth != labels.Depth || exclusionMask.Height != labels.Height || exclusionMask.Width != labels.Width))
        {
            throw new ArgumentException(
                $"The exclusion mask is {exclusionMask.Depth}×{exclusionMask.Height}×{exclusionMask.Width} voxels but the labels are {labels.Depth}×{labels.Height}×{labels.Width}.",
                nameof(exclusionMask));
        }

        var radius = options.LomRadius;
        var shape = (labels.Depth, labels.Height, labels.Width);
        var valid = ValidRegion(shape, radius);
        var output = Volume<byte>.CreateUninitialized(labels.Depth, labels.Height, labels.Width, labels.VoxelSize, labels.Origin);
        try
        {
            output.Span.Fill(Excluded);
            if (!valid.IsEmpty)
            {
                ForEachRow(valid, labels.Height, labels.Width, (start, length) => output.Span.Slice(start, length).Clear());
                if (exclusionMask is not null)
                {
                    Exclude(exclusionMask, output, valid, radius, cancellationToken);
                }

                PartitionObjects(labels, output, valid, options, progress, cancellationToken);
            }

            var histogram = Histogram(output, valid);
            return new FloodFillPartitionMap(output, histogram[..(options.Thresholds.Count + 2)], histogram[Excluded], radius);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>The voxels whose whole box lies inside the volume (empty when the volume is not wider than a box).</summary>
    private static RegionBox ValidRegion((int Depth, int Height, int Width) shape, (int Z, int Y, int X) radius) =>
        new(radius.Z, radius.Y, radius.X, shape.Depth - (2 * radius.Z), shape.Height - (2 * radius.Y), shape.Width - (2 * radius.X));

    private static void PartitionObjects<T>(Volume<T> labels, Volume<byte> output, RegionBox valid, FloodFillPartitionOptions options, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        var radius = options.LomRadius;
        var shape = (labels.Depth, labels.Height, labels.Width);
        var work = LabelExtent<T>.Measure(labels.Span, labels.Depth, labels.Height, labels.Width, cancellationToken)
            .Where(e => !T.IsZero(e.Label) && e.VoxelCount >= options.MinimumSize && !e.Bounds.Intersect(valid).IsEmpty)
            .Select(e => (e.Label, e.Bounds, Region: e.Bounds.Expand(radius, shape)))
            .OrderByDescending(e => e.Region.VoxelCount)
            .ToList();
        if (work.Count == 0)
        {
            return;
        }

        var thresholds = options.Thresholds.ToArray();
        var boxVolume = (double)((2L * radius.Z) + 1) * ((2L * radius.Y) + 1) * ((2L * radius.X) + 1);
        var largestTable = (work[0].Region.Depth + 1L) * (work[0].Region.Height + 1) * (work[0].Region.Width + 1) * sizeof(int);
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = (int)Math.Clamp(TableBudgetBytes / largestTable, 1, Environment.ProcessorCount),
        };
        var done = 0;
        Parallel.ForEach(work, parallel, () => new SummedVolumeTable(), (item, _, table) =>
        {
            table.Fill<T>(labels.Span, labels.Height, labels.Width, item.Region, item.Label);
            var voxels = labels.Span;
            var partitions = output.Span;
            var inner = item.Bounds.Intersect(valid);
            for (var z = inner.Z; z < inner.Z + inner.Depth; z++)
            {
                var tz = z - item.Region.Z;
                for (var y = inner.Y; y < inner.Y + inner.Height; y++)
                {
                    var ty = y - item.Region.Y;
                    var row = ((z * labels.Height) + y) * labels.Width;
                    for (var x = inner.X; x < inner.X + inner.Width; x++)
                    {
                        // Voxels of other labels belong to other workers; 255 means excluded by the mask.
                        if (voxels[row + x] != item.Label || partitions[row + x] != 0)
                        {
                            continue;
                        }

                        var tx = x - item.Region.X;
                        var count = table.Count(tz - radius.Z, ty - radius.Y, tx - radius.X, tz + radius.Z + 1, ty + radius.Y + 1, tx + radius.X + 1);
                        partitions[row + x] = Quantise(count / boxVolume, thresholds);
                    }
                }
            }

            progress?.Report((Interlocked.Increment(ref done), work.Count));
            return table;
        }, _ => { });
    }

    /// <summary>1 + the index of the first threshold above the fraction, or thresholds + 1 when none is.</summary>
    private static byte Quantise(double fraction, double[] thresholds)
    {
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (fraction < thresholds[i])
            {
                return (byte)(i + 1);
            }
        }

        return (byte)(thresholds.Length + 1);
    }

    /// <summary>Marks excluded every valid voxel whose box holds a masked voxel.</summary>
    private static void Exclude(Volume<bool> mask, Volume<byte> output, RegionBox valid, (int Z, int Y, int X) radius, CancellationToken cancellationToken)
    {
        var table = new SummedVolumeTable();
        table.Fill<bool>(mask.Span, mask.Height, mask.Width, new RegionBox(0, 0, 0, mask.Depth, mask.Height, mask.Width), true);
        var partitions = output.Span;
        for (var z = valid.Z; z < valid.Z + valid.Depth; z++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var y = valid.Y; y < valid.Y + valid.Height; y++)
            {
                var row = ((z * output.Height) + y) * output.Width;
                for (var x = valid.X; x < valid.X + valid.Width; x++)
                {
                    if (table.Count(z - radius.Z, y - radius.Y, x - radius.X, z + radius.Z + 1, y + radius.Y + 1, x + radius.X + 1) > 0)
                    {
                        partitions[row + x] = Excluded;
                    }
                }
            }
        }
    }

    private static long[] Histogram(Volume<byte> output, RegionBox valid)
    {
        var histogram = new long[256];
        if (!valid.IsEmpty)
        {
            ForEachRow(valid, output.Height, output.Width, (start, length) =>
            {
                foreach (var value in output.Span.Slice(start, length))
                {
                    histogram[value]++;
                }
            });
        }

        return histogram;
    }

    /// <summary>Calls <paramref name="action"/> with the flat start and length of every row of a region.</summary>
    private static void ForEachRow(RegionBox region, int height, int width, Action<int, int> action)
    {
        for (var z = region.Z; z < region.Z + region.Depth; z++)
        {
            for (var y = region.Y; y < region.Y + region.Height; y++)
            {
                action((((z * height) + y) * width) + region.X, region.Width);
            }
        }
    }
}
