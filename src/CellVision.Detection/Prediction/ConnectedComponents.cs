namespace CellVision.Detection;

/// <summary>26-connected components of a binary volume (scikit-image's <c>label</c> with full connectivity).</summary>
internal static class ConnectedComponents
{
    /// <summary>
    /// Labels the voxels where <paramref name="foreground"/> is true with 1..count, numbered in raster order of each
    /// component's first voxel, as scikit-image does; background is 0.
    /// </summary>
    internal static int[] Label(ReadOnlySpan<bool> foreground, int depth, int height, int width, out int count)
    {
        var labels = new int[foreground.Length];
        var parent = new List<int> { 0 };
        var plane = height * width;
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var index = (z * plane) + (y * width) + x;
                    if (!foreground[index])
                    {
                        continue;
                    }

                    var label = 0;
                    for (var dz = -1; dz <= 0; dz++)
                    {
                        for (var dy = -1; dy <= 1; dy++)
                        {
                            for (var dx = -1; dx <= 1; dx++)
                            {
                                if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0)))
                                {
                                    continue;
                                }

                                var (nz, ny, nx) = (z + dz, y + dy, x + dx);
                                if (nz < 0 || ny < 0 || ny >= height || nx < 0 || nx >= width)
                                {
                                    continue;
                                }

                                var neighbour = labels[(nz * plane) + (ny * width) + nx];
                                if (neighbour == 0)
                                {
                                    continue;
                                }

                                label = label == 0 ? Find(parent, neighbour) : Union(parent, label, neighbour);
                            }
                        }
                    }

                    if (label == 0)
                    {
                        label = parent.Count;
                        parent.Add(label);
                    }

                    labels[index] = label;
                }
            }
        }

        var final = new int[parent.Count];
        count = 0;
        for (var provisional = 1; provisional < parent.Count; provisional++)
        {
            var root = Find(parent, provisional);
            if (root == provisional)
            {
                final[provisional] = ++count;
            }
        }

        for (var provisional = 1; provisional < parent.Count; provisional++)
        {
            final[provisional] = final[Find(parent, provisional)];
        }

        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = final[labels[i]];
        }

        return labels;
    }

    private static int Find(List<int> parent, int label)
    {
        var root = label;
        while (parent[root] != root)
        {
            root = parent[root];
        }

        while (parent[label] != root)
        {
            var next = parent[label];
            parent[label] = root;
            label = next;
        }

        return root;
    }

    private static int Union(List<int> parent, int a, int b)
    {
        var (rootA, rootB) = (Find(parent, a), Find(parent, b));
        if (rootA == rootB)
        {
            return rootA;
        }

        var (low, high) = rootA < rootB ? (rootA, rootB) : (rootB, rootA);
        parent[high] = low;
        return low;
    }
}
