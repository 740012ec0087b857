namespace CellVision.Segmentation;

/// <summary>
/// scikit-image's <c>peak_local_max(image, min_distance, threshold_abs=0, threshold_rel=0, exclude_border=True,
/// p_norm=inf)</c> on a float64 volume (spec A.3.8 item 7): a voxel is a peak when it equals the maximum of the
/// (2·d + 1)³ box around it (<c>maximum_filter</c>, mode <c>'nearest'</c>) and is greater than 0; none when every
/// voxel equals its box maximum; peaks closer than d to a face are dropped; the rest, sorted by value in descending
/// order (stable), are accepted greedily unless an accepted peak lies at a Chebyshev distance below d.
/// </summary>
internal static class LocalMaximumPeaks
{
    /// <summary>The accepted peaks as flat C-order indices, in ascending index order (lexicographic Z, Y, X).</summary>
    internal static List<int> Find(double[] image, (int Depth, int Height, int Width) shape, int minDistance, CancellationToken cancellationToken)
    {
        var (depth, height, width) = shape;
        var maximum = (double[])image.Clone();
        MaximumAlong(maximum, shape, 2, minDistance, cancellationToken);
        MaximumAlong(maximum, shape, 1, minDistance, cancellationToken);
        MaximumAlong(maximum, shape, 0, minDistance, cancellationToken);

        var everyVoxelIsMaximal = true;
        for (var i = 0; i < image.Length && everyVoxelIsMaximal; i++)
        {
            everyVoxelIsMaximal = image[i] == maximum[i];
        }

        if (everyVoxelIsMaximal)
        {
            return [];
        }

        var candidates = new List<int>();
        for (var z = minDistance; z < depth - minDistance; z++)
        {
            for (var y = minDistance; y < height - minDistance; y++)
            {
                var row = ((z * height) + y) * width;
                for (var x = minDistance; x < width - minDistance; x++)
                {
                    var i = row + x;
                    if (image[i] > 0 && image[i] == maximum[i])
                    {
                        candidates.Add(i);
                    }
                }
            }
        }

        // Descending value, ties in index order: what a stable argsort of −value gives.
        candidates.Sort((a, b) => image[a] != image[b] ? image[b].CompareTo(image[a]) : a.CompareTo(b));
        var accepted = new HashSet<int>();
        var peaks = new List<int>();
        var reach = minDistance - 1;
        foreach (var index in candidates)
        {
            var z = index / (height * width);
            var y = index / width % height;
            var x = index % width;
            if (!HasAcceptedNeighbour(accepted, shape, z, y, x, reach))
            {
                accepted.Add(index);
                peaks.Add(index);
            }
        }

        peaks.Sort();
        return peaks;
    }

    private static bool HasAcceptedNeighbour(HashSet<int> accepted, (int Depth, int Height, int Width) shape, int z, int y, int x, int reach)
    {
        if (accepted.Count == 0)
        {
            return false;
        }

        for (var dz = Math.Max(0, z - reach); dz <= Math.Min(shape.Depth - 1, z + reach); dz++)
        {
            for (var dy = Math.Max(0, y - reach); dy <= Math.Min(shape.Height - 1, y + reach); dy++)
            {
                for (var dx = Math.Max(0, x - reach); dx <= Math.Min(shape.Width - 1, x + reach); dx++)
                {
                    if (accepted.Contains((((dz * shape.Height) + dy) * shape.Width) + dx))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The running maximum over ±radius along one axis, the edge voxel standing in beyond the volume ('nearest'), in place.</summary>
    private static void MaximumAlong(double[] values, (int Depth, int Height, int Width) shape, int axis, int radius, CancellationToken cancellationToken)
    {
        var (depth, height, width) = shape;
        var (length, stride, outer, outerStride, inner, innerStride) = axis switch
        {
            0 => (depth, height * width, height, width, width, 1),
            1 => (height, width, depth, height * width, width, 1),
            _ => (width, 1, depth, height * width, height, width),
        };
        Parallel.For(
            0,
            outer,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new double[length],
            (o, _, line) =>
            {
                for (var i = 0; i < inner; i++)
                {
                    var start = (o * outerStride) + (i * innerStride);
                    for (var k = 0; k < length; k++)
                    {
                        line[k] = values[start + (k * stride)];
                    }

                    for (var k = 0; k < length; k++)
                    {
                        var best = line[k];
                        for (var j = Math.Max(0, k - radius); j <= Math.Min(length - 1, k + radius); j++)
                        {
                            best = Math.Max(best, line[j]);
                        }

                        values[start + (k * stride)] = best;
                    }
                }

                return line;
            },
            _ => { });
    }
}
