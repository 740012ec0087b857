using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CellVision.Core.Annotations;

namespace CellVision.Core.Spatial;

/// <summary>
/// A static 3-D k-d tree over points in physical coordinates, for nearest-neighbour and radius queries (e.g. finding
/// parent candidates of the spots of one frame among the spots of the previous frame).
/// </summary>
/// <remarks>
/// <para>
/// The tree is balanced: every inner node splits its points at the median of the axis along which they spread most,
/// down to leaves of at most 16 points. Points are copied into tree order when the tree is built, so later changes to
/// the input do not affect it. Large inputs (32,768 points or more) are built in parallel.
/// </para>
/// <para>
/// Every query reports points by their index in the build input. Results are ordered by increasing squared distance
/// and, at equal distance, by increasing index, so a query's answer does not depend on how the tree was built or
/// split. Distance bounds are inclusive: a point at exactly <c>maxDistance</c> (or <c>radius</c>) is found.
/// Single queries write into caller-supplied spans and allocate nothing; the tree is immutable and may be queried
/// from any number of threads at once.
/// </para>
/// </remarks>
public sealed class KdTree3
{
    private const int LeafSize = 16;
    private const int ParallelBuildThreshold = 1 << 15;
    private const int SequentialBatchThreshold = 2048;

    private readonly double[] coords;
    private readonly int[] order;
    private readonly Node[] nodes;

    private KdTree3(Item[] items, int count, int maxDegreeOfParallelism)
    {
        Count = count;
        if (Count == 0)
        {
            coords = [];
            order = [];
            nodes = [];
            return;
        }

        nodes = new Node[CountNodes(Count)];
        var parallelDepth = ParallelDepth(Count, maxDegreeOfParallelism);
        BuildNode(items, 0, 0, Count, parallelDepth);

        coords = new double[3 * Count];
        order = new int[Count];
        for (var i = 0; i < count; i++)
        {
            ref readonly var item = ref items[i];
            coords[3 * i] = item.X;
            coords[3 * i + 1] = item.Y;
            coords[3 * i + 2] = item.Z;
            order[i] = item.Index;
        }
    }

    /// <summary>The number of points in the tree.</summary>
    public int Count { get; }

    /// <summary>Builds a tree over points given as three coordinate spans of equal length.</summary>
    /// <param name="x">X of each point.</param>
    /// <param name="y">Y of each point.</param>
    /// <param name="z">Z of each point.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads build the tree (-1: as many as there are processors; 1: the calling thread only).</param>
    /// <returns>The tree; indices in query results are positions in the spans.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or a coordinate is not finite.</exception>
    public static KdTree3 Build(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, int maxDegreeOfParallelism = -1)
    {
        if (x.Length != y.Length || x.Length != z.Length)
        {
            throw new ArgumentException($"The coordinate spans differ in length ({x.Length}, {y.Length}, {z.Length}).", nameof(y));
        }

        ValidateParallelism(maxDegreeOfParallelism);
        var items = ArrayPool<Item>.Shared.Rent(x.Length);
        try
        {
            for (var i = 0; i < x.Length; i++)
            {
                items[i] = new Item(x[i], y[i], z[i], i);
            }

            return new KdTree3(items, x.Length, maxDegreeOfParallelism);
        }
        finally
        {
            ArrayPool<Item>.Shared.Return(items);
        }
    }

    /// <summary>Builds a tree over points.</summary>
    /// <param name="points">The points.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads build the tree (-1: as many as there are processors).</param>
    /// <returns>The tree; indices in query results are positions in <paramref name="points"/>.</returns>
    /// <exception cref="ArgumentException">A coordinate is not finite.</exception>
    public static KdTree3 Build(ReadOnlySpan<Point3> points, int maxDegreeOfParallelism = -1)
    {
        ValidateParallelism(maxDegreeOfParallelism);
        var items = ArrayPool<Item>.Shared.Rent(points.Length);
        try
        {
            for (var i = 0; i < points.Length; i++)
            {
                items[i] = new Item(points[i].X, points[i].Y, points[i].Z, i);
            }

            return new KdTree3(items, points.Length, maxDegreeOfParallelism);
        }
        finally
        {
            ArrayPool<Item>.Shared.Return(items);
        }
    }

    /// <summary>Builds a tree over the positions of a list of items, e.g. spots.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="position">Gives an item's position.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads build the tree (-1: as many as there are processors).</param>
    /// <returns>The tree; indices in query results are positions in <paramref name="items"/>.</returns>
    /// <exception cref="ArgumentException">A coordinate is not finite.</exception>
    public static KdTree3 Build<T>(IReadOnlyList<T> items, Func<T, Point3> position, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(position);
        ValidateParallelism(maxDegreeOfParallelism);
        var built = ArrayPool<Item>.Shared.Rent(items.Count);
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                var p = position(items[i]);
                built[i] = new Item(p.X, p.Y, p.Z, i);
            }

            return new KdTree3(built, items.Count, maxDegreeOfParallelism);
        }
        finally
        {
            ArrayPool<Item>.Shared.Return(built);
        }
    }

    /// <summary>Builds a tree over the centres of spots (physical units).</summary>
    /// <param name="spots">The spots.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads build the tree (-1: as many as there are processors).</param>
    /// <returns>The tree; indices in query results are positions in <paramref name="spots"/>.</returns>
    public static KdTree3 FromSpots(IReadOnlyList<Spot> spots, int maxDegreeOfParallelism = -1) =>
        Build(spots, static spot => new Point3(spot.X, spot.Y, spot.Z), maxDegreeOfParallelism);

    /// <summary>
    /// Finds the nearest points to (x, y, z): as many as <paramref name="indices"/> can hold (k), within
    /// <paramref name="maxDistance"/>, ordered by increasing distance and then by index.
    /// </summary>
    /// <param name="x">Query X.</param>
    /// <param name="y">Query Y.</param>
    /// <param name="z">Query Z.</param>
    /// <param name="indices">Receives the indices of the neighbours; its length is k. Slots past the returned count get -1.</param>
    /// <param name="squaredDistances">Receives their squared distances (at least k long); slots past the count get +∞.</param>
    /// <param name="maxDistance">Only points at most this far away are found (inclusive; default: no bound).</param>
    /// <returns>The number of neighbours found (at most k, fewer when the tree holds fewer points within the bound).</returns>
    /// <exception cref="ArgumentException"><paramref name="squaredDistances"/> is shorter than <paramref name="indices"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDistance"/> is negative or NaN.</exception>
    public int Nearest(double x, double y, double z, Span<int> indices, Span<double> squaredDistances, double maxDistance = double.PositiveInfinity)
    {
        if (squaredDistances.Length < indices.Length)
        {
            throw new ArgumentException($"The distance span ({squaredDistances.Length}) is shorter than the index span ({indices.Length}).", nameof(squaredDistances));
        }

        var bound = SquaredBound(maxDistance, nameof(maxDistance));
        return NearestCore(x, y, z, indices, squaredDistances[..indices.Length], bound);
    }

    /// <summary>Finds the nearest points to a query point; see <see cref="Nearest(double, double, double, Span{int}, Span{double}, double)"/>.</summary>
    /// <param name="query">The query point.</param>
    /// <param name="indices">Receives the indices of the neighbours; its length is k.</param>
    /// <param name="squaredDistances">Receives their squared distances (at least k long).</param>
    /// <param name="maxDistance">Only points at most this far away are found (inclusive).</param>
    /// <returns>The number of neighbours found.</returns>
    public int Nearest(Point3 query, Span<int> indices, Span<double> squaredDistances, double maxDistance = double.PositiveInfinity) =>
        Nearest(query.X, query.Y, query.Z, indices, squaredDistances, maxDistance);

    /// <summary>
    /// Appends every point within <paramref name="radius"/> of (x, y, z) (inclusive) to <paramref name="results"/>,
    /// ordered by increasing distance and then by index when <paramref name="sort"/> is true.
    /// </summary>
    /// <param name="x">Query X.</param>
    /// <param name="y">Query Y.</param>
    /// <param name="z">Query Z.</param>
    /// <param name="radius">The radius (≥ 0; +∞ finds every point).</param>
    /// <param name="results">Receives the neighbours (appended; not cleared).</param>
    /// <param name="sort">Sort the appended neighbours (default); false leaves them in tree order.</param>
    /// <returns>The number of neighbours appended.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is negative or NaN.</exception>
    public int WithinRadius(double x, double y, double z, double radius, List<Neighbor> results, bool sort = true)
    {
        ArgumentNullException.ThrowIfNull(results);
        return WithinRadiusCore(x, y, z, SquaredBound(radius, nameof(radius)), results, sort);
    }

    /// <summary>Appends every point within <paramref name="radius"/> of a query point; see <see cref="WithinRadius(double, double, double, double, List{Neighbor}, bool)"/>.</summary>
    /// <param name="query">The query point.</param>
    /// <param name="radius">The radius (≥ 0).</param>
    /// <param name="results">Receives the neighbours (appended).</param>
    /// <param name="sort">Sort the appended neighbours (default).</param>
    /// <returns>The number of neighbours appended.</returns>
    public int WithinRadius(Point3 query, double radius, List<Neighbor> results, bool sort = true) =>
        WithinRadius(query.X, query.Y, query.Z, radius, results, sort);

    /// <summary>
    /// Finds the <paramref name="k"/> nearest points of many queries in parallel. Row q of the outputs
    /// (<c>[q·k, q·k + k)</c>) holds query q's neighbours as <see cref="Nearest(double, double, double, Span{int}, Span{double}, double)"/>
    /// returns them; slots without a neighbour hold index -1 and distance +∞ (as scipy's cKDTree reports n and ∞).
    /// </summary>
    /// <param name="x">X of each query.</param>
    /// <param name="y">Y of each query.</param>
    /// <param name="z">Z of each query.</param>
    /// <param name="k">Neighbours per query (≥ 0).</param>
    /// <param name="indices">Receives the indices, at least queries·k long.</param>
    /// <param name="squaredDistances">Receives the squared distances, at least queries·k long.</param>
    /// <param name="maxDistance">Only points at most this far away are found (inclusive).</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads (-1: as many as there are processors).</param>
    /// <exception cref="ArgumentException">The query spans differ in length or an output is too short.</exception>
    public void NearestBatch(
        ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, int k,
        Span<int> indices, Span<double> squaredDistances,
        double maxDistance = double.PositiveInfinity, int maxDegreeOfParallelism = -1)
    {
        if (x.Length != y.Length || x.Length != z.Length)
        {
            throw new ArgumentException($"The query spans differ in length ({x.Length}, {y.Length}, {z.Length}).", nameof(y));
        }

        unsafe
        {
            fixed (double* px = x, py = y, pz = z)
            {
                var source = new QuerySource(px, py, pz, null);
                NearestBatchCore(source, x.Length, k, indices, squaredDistances, maxDistance, maxDegreeOfParallelism);
            }
        }
    }

    /// <summary>Finds the <paramref name="k"/> nearest points of many query points in parallel; see <see cref="NearestBatch(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, Span{int}, Span{double}, double, int)"/>.</summary>
    /// <param name="queries">The query points.</param>
    /// <param name="k">Neighbours per query (≥ 0).</param>
    /// <param name="indices">Receives the indices, at least queries·k long.</param>
    /// <param name="squaredDistances">Receives the squared distances, at least queries·k long.</param>
    /// <param name="maxDistance">Only points at most this far away are found (inclusive).</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads (-1: as many as there are processors).</param>
    public void NearestBatch(
        ReadOnlySpan<Point3> queries, int k, Span<int> indices, Span<double> squaredDistances,
        double maxDistance = double.PositiveInfinity, int maxDegreeOfParallelism = -1)
    {
        unsafe
        {
            fixed (Point3* points = queries)
            {
                var source = new QuerySource(null, null, null, points);
                NearestBatchCore(source, queries.Length, k, indices, squaredDistances, maxDistance, maxDegreeOfParallelism);
            }
        }
    }

    /// <summary>Finds, in parallel, every point within <paramref name="radius"/> of each query point.</summary>
    /// <param name="queries">The query points.</param>
    /// <param name="radius">The radius (≥ 0, inclusive).</param>
    /// <param name="sort">Order each query's neighbours by distance, then index (default).</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads (-1: as many as there are processors).</param>
    /// <returns>The neighbours of every query, stored contiguously.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is negative or NaN.</exception>
    public NeighborTable WithinRadiusBatch(ReadOnlySpan<Point3> queries, double radius, bool sort = true, int maxDegreeOfParallelism = -1)
    {
        var bound = SquaredBound(radius, nameof(radius));
        ValidateParallelism(maxDegreeOfParallelism);
        var n = queries.Length;
        var counts = new int[n + 1];
        var (chunk, chunks) = Chunking(n, maxDegreeOfParallelism);
        var perChunk = new List<Neighbor>[chunks];
        unsafe
        {
            fixed (Point3* points = queries)
            {
                var pointer = points;
                void Run(int c)
                {
                    var list = new List<Neighbor>();
                    var end = Math.Min(n, (c + 1) * chunk);
                    for (var q = c * chunk; q < end; q++)
                    {
                        var p = pointer[q];
                        counts[q + 1] = WithinRadiusCore(p.X, p.Y, p.Z, bound, list, sort);
                    }

                    perChunk[c] = list;
                }

                RunChunks(chunks, maxDegreeOfParallelism, Run);
            }
        }

        for (var q = 0; q < n; q++)
        {
            counts[q + 1] += counts[q];
        }

        var all = new Neighbor[counts[n]];
        var at = 0;
        foreach (var list in perChunk)
        {
            list.CopyTo(all, at);
            at += list.Count;
        }

        return new NeighborTable(counts, all);
    }

    private int WithinRadiusCore(double x, double y, double z, double bound, List<Neighbor> results, bool sort)
    {
        var start = results.Count;
        if (Count > 0)
        {
            var state = new RadiusState(x, y, z, bound, results);
            SearchRadius(0, ref state, default);
        }

        var found = results.Count - start;
        if (sort && found > 1)
        {
            results.Sort(start, found, null);
        }

        return found;
    }

    private unsafe void NearestBatchCore(
        QuerySource source, int n, int k, Span<int> indices, Span<double> squaredDistances, double maxDistance, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ValidateParallelism(maxDegreeOfParallelism);
        var bound = SquaredBound(maxDistance, nameof(maxDistance));
        var needed = (long)n * k;
        if (indices.Length < needed || squaredDistances.Length < needed)
        {
            throw new ArgumentException($"{n} queries with k = {k} need outputs of {needed} values, got {indices.Length} and {squaredDistances.Length}.", nameof(indices));
        }

        if (n == 0 || k == 0)
        {
            return;
        }

        fixed (int* pIndices = indices)
        fixed (double* pDistances = squaredDistances)
        {
            var outIndices = pIndices;
            var outDistances = pDistances;
            var (chunk, chunks) = Chunking(n, maxDegreeOfParallelism);
            void Run(int c)
            {
                var end = Math.Min(n, (c + 1) * chunk);
                for (var q = c * chunk; q < end; q++)
                {
                    var p = source.Get(q);
                    NearestCore(p.X, p.Y, p.Z, new Span<int>(outIndices + (long)q * k, k), new Span<double>(outDistances + (long)q * k, k), bound);
                }
            }

            RunChunks(chunks, maxDegreeOfParallelism, Run);
        }
    }

    private static (int Chunk, int Chunks) Chunking(int n, int maxDegreeOfParallelism)
    {
        if (n < SequentialBatchThreshold || maxDegreeOfParallelism == 1)
        {
            return (Math.Max(n, 1), n == 0 ? 0 : 1);
        }

        var workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        var chunk = Math.Max(512, n / (workers * 8));
        return (chunk, (n + chunk - 1) / chunk);
    }

    private static void RunChunks(int chunks, int maxDegreeOfParallelism, Action<int> run)
    {
        if (chunks <= 1)
        {
            if (chunks == 1)
            {
                run(0);
            }

            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, run);
    }

    private int NearestCore(double x, double y, double z, Span<int> indices, Span<double> squaredDistances, double bound)
    {
        var found = 0;
        if (indices.Length > 0 && Count > 0)
        {
            var state = new KnnState(x, y, z, indices, squaredDistances, bound);
            SearchNearest(0, ref state, default);
            found = state.Found;
        }

        indices[found..].Fill(-1);
        squaredDistances[found..].Fill(double.PositiveInfinity);
        return found;
    }

    private void SearchNearest(int nodeIndex, ref KnnState state, Offsets offsets)
    {
        ref var node = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(nodes), nodeIndex);
        if (node.Dim < 0)
        {
            ScanLeaf(node.Lo, node.Hi, ref state);
            return;
        }

        var diff = state.Coordinate(node.Dim) - node.Split;
        var (near, far) = diff < 0 ? (nodeIndex + 1, node.Right) : (node.Right, nodeIndex + 1);

        var dim = node.Dim;
        SearchNearest(near, ref state, offsets);
        offsets.Set(dim, diff * diff);
        if (offsets.Sum <= state.Limit)
        {
            SearchNearest(far, ref state, offsets);
        }
    }

    private void ScanLeaf(int lo, int hi, ref KnnState state)
    {
        ref var c = ref MemoryMarshal.GetArrayDataReference(coords);
        ref var o = ref MemoryMarshal.GetArrayDataReference(order);
        double qx = state.X, qy = state.Y, qz = state.Z;
        for (var i = lo; i < hi; i++)
        {
            var dx = Unsafe.Add(ref c, 3 * i) - qx;
            var dy = Unsafe.Add(ref c, 3 * i + 1) - qy;
            var dz = Unsafe.Add(ref c, 3 * i + 2) - qz;
            var d = dx * dx + dy * dy + dz * dz;
            if (d <= state.Limit)
            {
                state.Offer(d, Unsafe.Add(ref o, i));
            }
        }
    }

    private void SearchRadius(int nodeIndex, ref RadiusState state, Offsets offsets)
    {
        ref var node = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(nodes), nodeIndex);
        if (node.Dim < 0)
        {
            ref var c = ref MemoryMarshal.GetArrayDataReference(coords);
            for (var i = node.Lo; i < node.Hi; i++)
            {
                var dx = Unsafe.Add(ref c, 3 * i) - state.X;
                var dy = Unsafe.Add(ref c, 3 * i + 1) - state.Y;
                var dz = Unsafe.Add(ref c, 3 * i + 2) - state.Z;
                var d = dx * dx + dy * dy + dz * dz;
                if (d <= state.Bound)
                {
                    state.Results.Add(new Neighbor(order[i], d));
                }
            }

            return;
        }

        var diff = state.Coordinate(node.Dim) - node.Split;
        var (near, far) = diff < 0 ? (nodeIndex + 1, node.Right) : (node.Right, nodeIndex + 1);

        var dim = node.Dim;
        SearchRadius(near, ref state, offsets);
        offsets.Set(dim, diff * diff);
        if (offsets.Sum <= state.Bound)
        {
            SearchRadius(far, ref state, offsets);
        }
    }

    private void BuildNode(Item[] items, int nodeIndex, int lo, int hi, int parallelDepth)
    {
        var size = hi - lo;
        if (size <= LeafSize)
        {
            nodes[nodeIndex] = new Node { Dim = -1, Lo = lo, Hi = hi };
            return;
        }

        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, minZ = double.PositiveInfinity;
        double maxX = double.NegativeInfinity, maxY = double.NegativeInfinity, maxZ = double.NegativeInfinity;
        for (var i = lo; i < hi; i++)
        {
            ref readonly var item = ref items[i];
            minX = Math.Min(minX, item.X);
            maxX = Math.Max(maxX, item.X);
            minY = Math.Min(minY, item.Y);
            maxY = Math.Max(maxY, item.Y);
            minZ = Math.Min(minZ, item.Z);
            maxZ = Math.Max(maxZ, item.Z);
        }

        double spreadX = maxX - minX, spreadY = maxY - minY, spreadZ = maxZ - minZ;
        var dim = spreadX >= spreadY ? (spreadX >= spreadZ ? 0 : 2) : (spreadY >= spreadZ ? 1 : 2);
        var mid = lo + size / 2;
        double split;
        switch (dim)
        {
            case 0:
                Select<XKey>(items, lo, hi - 1, mid);
                split = items[mid].X;
                break;
            case 1:
                Select<YKey>(items, lo, hi - 1, mid);
                split = items[mid].Y;
                break;
            default:
                Select<ZKey>(items, lo, hi - 1, mid);
                split = items[mid].Z;
                break;
        }

        var left = nodeIndex + 1;
        var right = nodeIndex + 1 + CountNodes(size / 2);
        nodes[nodeIndex] = new Node { Split = split, Dim = dim, Right = right, Lo = lo, Hi = hi };
        if (parallelDepth > 0 && size >= ParallelBuildThreshold)
        {
            Parallel.Invoke(
                () => BuildNode(items, left, lo, mid, parallelDepth - 1),
                () => BuildNode(items, right, mid, hi, parallelDepth - 1));
        }
        else
        {
            BuildNode(items, left, lo, mid, 0);
            BuildNode(items, right, mid, hi, 0);
        }
    }

    /// <summary>Partially sorts items[lo..hi] (inclusive) so that items[k] holds the element a full sort would put there, smaller ones before it and larger ones after it.</summary>
    private static void Select<TKey>(Item[] a, int lo, int hi, int k)
        where TKey : struct, IKey
    {
        while (hi > lo)
        {
            if (hi - lo < 16)
            {
                for (var i = lo + 1; i <= hi; i++)
                {
                    var item = a[i];
                    var key = TKey.Get(in item);
                    var j = i - 1;
                    while (j >= lo && TKey.Get(in a[j]) > key)
                    {
                        a[j + 1] = a[j];
                        j--;
                    }

                    a[j + 1] = item;
                }

                return;
            }

            var m = lo + (hi - lo) / 2;
            if (TKey.Get(in a[m]) < TKey.Get(in a[lo]))
            {
                (a[m], a[lo]) = (a[lo], a[m]);
            }

            if (TKey.Get(in a[hi]) < TKey.Get(in a[lo]))
            {
                (a[hi], a[lo]) = (a[lo], a[hi]);
            }

            if (TKey.Get(in a[hi]) < TKey.Get(in a[m]))
            {
                (a[hi], a[m]) = (a[m], a[hi]);
            }

            var pivot = TKey.Get(in a[m]);
            int left = lo, right = hi;
            while (left <= right)
            {
                while (TKey.Get(in a[left]) < pivot)
                {
                    left++;
                }

                while (TKey.Get(in a[right]) > pivot)
                {
                    right--;
                }

                if (left <= right)
                {
                    (a[left], a[right]) = (a[right], a[left]);
                    left++;
                    right--;
                }
            }

            if (k <= right)
            {
                hi = right;
            }
            else if (k >= left)
            {
                lo = left;
            }
            else
            {
                return;
            }
        }
    }

    private static int CountNodes(int size) => size <= LeafSize ? 1 : 1 + CountNodes(size / 2) + CountNodes(size - size / 2);

    private static int ParallelDepth(int count, int maxDegreeOfParallelism)
    {
        if (count < ParallelBuildThreshold || maxDegreeOfParallelism == 1)
        {
            return 0;
        }

        var workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        if (workers <= 1)
        {
            return 0;
        }

        return (int)Math.Ceiling(Math.Log2(workers)) + (maxDegreeOfParallelism > 0 ? 0 : 1);
    }

    private static double SquaredBound(double distance, string name)
    {
        if (double.IsNaN(distance) || distance < 0)
        {
            throw new ArgumentOutOfRangeException(name, distance, "The distance must be ≥ 0.");
        }

        return distance * distance;
    }

    private static void ValidateParallelism(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 (no limit) or a positive number.");
        }
    }

    private interface IKey
    {
        static abstract double Get(in Item item);
    }

    private readonly struct XKey : IKey
    {
        public static double Get(in Item item) => item.X;
    }

    private readonly struct YKey : IKey
    {
        public static double Get(in Item item) => item.Y;
    }

    private readonly struct ZKey : IKey
    {
        public static double Get(in Item item) => item.Z;
    }

    private readonly struct Item
    {
        public readonly double X;
        public readonly double Y;
        public readonly double Z;
        public readonly int Index;

        public Item(double x, double y, double z, int index)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z))
            {
                throw new ArgumentException($"Point {index} ({x}, {y}, {z}) is not finite.");
            }

            X = x;
            Y = y;
            Z = z;
            Index = index;
        }
    }

    private struct Node
    {
        public double Split;
        public int Dim;
        public int Right;
        public int Lo;
        public int Hi;
    }

    /// <summary>Squared distances from the query to the current cell along each axis; their sum bounds every point's distance from below.</summary>
    private struct Offsets
    {
        private double x;
        private double y;
        private double z;

        public readonly double Sum => x + y + z;

        public void Set(int dim, double value)
        {
            switch (dim)
            {
                case 0:
                    x = value;
                    break;
                case 1:
                    y = value;
                    break;
                default:
                    z = value;
                    break;
            }
        }
    }

    private ref struct KnnState
    {
        public readonly double X;
        public readonly double Y;
        public readonly double Z;
        public double Limit;
        public int Found;
        private readonly Span<int> indices;
        private readonly Span<double> distances;
        private readonly double bound;

        public KnnState(double x, double y, double z, Span<int> indices, Span<double> distances, double bound)
        {
            X = x;
            Y = y;
            Z = z;
            this.indices = indices;
            this.distances = distances;
            this.bound = bound;
            Limit = bound;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly double Coordinate(int dim) => dim == 0 ? X : dim == 1 ? Y : Z;

        /// <summary>Inserts a point with d ≤ Limit, keeping (distance, index) order and at most k entries.</summary>
        public void Offer(double d, int index)
        {
            var k = indices.Length;
            int position;
            if (Found == k)
            {
                if (d == Limit && index > indices[k - 1])
                {
                    return;
                }

                position = k - 1;
            }
            else
            {
                position = Found++;
            }

            while (position > 0 && (distances[position - 1] > d || (distances[position - 1] == d && indices[position - 1] > index)))
            {
                distances[position] = distances[position - 1];
                indices[position] = indices[position - 1];
                position--;
            }

            distances[position] = d;
            indices[position] = index;
            Limit = Found == k ? distances[k - 1] : bound;
        }
    }

    private ref struct RadiusState(double x, double y, double z, double bound, List<Neighbor> results)
    {
        public readonly double X = x;
        public readonly double Y = y;
        public readonly double Z = z;
        public readonly double Bound = bound;
        public readonly List<Neighbor> Results = results;

        public readonly double Coordinate(int dim) => dim == 0 ? X : dim == 1 ? Y : Z;
    }

    private readonly unsafe struct QuerySource(double* x, double* y, double* z, Point3* points)
    {
        public Point3 Get(int q) => points != null ? points[q] : new Point3(x[q], y[q], z[q]);
    }
}
