namespace CellVision.Segmentation;

/// <summary>One label of a volume: its voxel count and the bounding box of its voxels.</summary>
internal readonly record struct LabelExtent<T>(T Label, long VoxelCount, RegionBox Bounds)
    where T : notnull, IEquatable<T>
{
    /// <summary>Every label of a Z, Y, X volume, in order of first appearance, measured in one pass over runs of equal voxels.</summary>
    public static List<LabelExtent<T>> Measure(ReadOnlySpan<T> voxels, int depth, int height, int width, CancellationToken cancellationToken)
    {
        var index = new Dictionary<T, int>();
        var labels = new List<T>();
        var counts = new List<long>();
        var low = new List<(int Z, int Y, int X)>();
        var high = new List<(int Z, int Y, int X)>();
        for (var z = 0; z < depth; z++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var y = 0; y < height; y++)
            {
                var row = voxels.Slice(((z * height) + y) * width, width);
                var x = 0;
                while (x < width)
                {
                    var value = row[x];
                    var start = x;
                    while (x < width && row[x].Equals(value))
                    {
                        x++;
                    }

                    if (!index.TryGetValue(value, out var i))
                    {
                        i = labels.Count;
                        index.Add(value, i);
                        labels.Add(value);
                        counts.Add(0);
                        low.Add((z, y, start));
                        high.Add((z, y, x - 1));
                    }

                    counts[i] += x - start;
                    var (lz, ly, lx) = low[i];
                    var (_, hy, hx) = high[i];
                    low[i] = (lz, Math.Min(ly, y), Math.Min(lx, start));
                    high[i] = (z, Math.Max(hy, y), Math.Max(hx, x - 1));
                }
            }
        }

        var extents = new List<LabelExtent<T>>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var (lz, ly, lx) = low[i];
            var (hz, hy, hx) = high[i];
            extents.Add(new LabelExtent<T>(labels[i], counts[i], new RegionBox(lz, ly, lx, hz - lz + 1, hy - ly + 1, hx - lx + 1)));
        }

        return extents;
    }
}
