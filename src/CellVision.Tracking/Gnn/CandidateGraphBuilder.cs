using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Spatial;

namespace CellVision.Tracking;

/// <summary>
/// Builds the GNN tracker's cell graph (reference <c>create_graph</c>): one node per cell, directed candidate edges from
/// each present frame to the next present frame, gated by the reference's box (or a physical radius), node features
/// min-max scaled over the graph, and optionally the 'simple' training labels.
/// </summary>
/// <remarks>
/// <para>
/// Training labels: for each track id (ascending), the nodes carrying it are taken in node order and each
/// consecutive pair whose frames differ by exactly 1 becomes a positive edge — always included, even outside the
/// gate. Then every gated candidate that is not already positive is added as a negative. A mother's edge to a
/// daughter is therefore negative (daughters carry new track ids), as in the reference.
/// </para>
/// <para>Candidates join consecutive <em>present</em> frames: with frames 0, 1, 3 present, 1 → 3 edges are candidates.</para>
/// </remarks>
public static class CandidateGraphBuilder
{
    /// <summary>Builds the graph of a set of cells (a training window, or a whole sequence for inference).</summary>
    /// <param name="cells">The cells, any order; they are sorted by frame, then label.</param>
    /// <param name="options">Settings; null for the reference's (box gate, hand-crafted features, no labels).</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cells"/> is null or holds null.</exception>
    /// <exception cref="ArgumentException">
    /// There are no cells; cells mix 2-D and 3-D; a frame is negative; a (frame, label) pair repeats; or training labels
    /// are asked for and a cell has no track id.
    /// </exception>
    public static CandidateGraph Build(IReadOnlyList<CellFeatures> cells, CandidateGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        options ??= new CandidateGraphOptions();
        options.Validate();
        if (options.TrainingLabels && options.PositiveDivisionLinks)
        {
            throw new ArgumentException("Positive division links need the lineage's links; cells measured from masks carry no parents. Build the graph from spots.", nameof(options));
        }

        if (cells.Count == 0)
        {
            throw new ArgumentException("There are no cells to build a graph of.", nameof(cells));
        }

        foreach (var cell in cells)
        {
            ArgumentNullException.ThrowIfNull(cell, nameof(cells));
            if (cell.Frame < 0)
            {
                throw new ArgumentException($"Cell {cell.Label} has frame number {cell.Frame}; frames must be ≥ 0.", nameof(cells));
            }
        }

        var dimensions = cells[0].Dimensions;
        if (cells.FirstOrDefault(cell => cell.Dimensions != dimensions) is { } other)
        {
            throw new ArgumentException($"The cells mix {dimensions}-D and {other.Dimensions}-D (frame {other.Frame}, label {other.Label}).", nameof(cells));
        }

        var sorted = cells.OrderBy(cell => cell.Frame).ThenBy(cell => cell.Label).ToArray();
        var n = sorted.Length;
        var embeddings = Embeddings(sorted);
        var names = NodeFeatureColumns.Names(options.Features, dimensions);
        var features = new double[n * names.Count];
        var input = new GateInput(n);
        for (var i = 0; i < n; i++)
        {
            var cell = sorted[i];
            NodeFeatureColumns.Write(cell, options.Features, options.VoxelSize, features.AsSpan(i * names.Count, names.Count));
            var centre = cell.RoundedCentroid;
            var s = options.VoxelSize;
            input.Set(i, new GraphNode(cell.Frame, cell.Label), cell.TrackId, (centre.Z, centre.Y, centre.X),
                new Point3(cell.Centroid.X * s.X, cell.Centroid.Y * s.Y, cell.Centroid.Z * s.Z));
        }

        var statistics = CellSequenceStatistics.Of(sorted);
        var roi = options.Roi ?? statistics.Roi(options.RoiMultiplier);
        var radius = options.Radius ?? DefaultRadius(statistics, options.VoxelSize, options.RoiMultiplier);
        return Assemble(input, names, features, roi, radius, options, embeddings, null);
    }

    /// <summary>
    /// Builds the graph of the spots of a lineage (data without images): nodes are spots (label = spot id), features
    /// are always <see cref="NodeFeatureSet.Geometry"/>, the box gate works on physical centres with half-widths of
    /// <see cref="CandidateGraphOptions.RoiMultiplier"/> times the largest ellipsoid extent (2·√Σᵢᵢ) per axis, and
    /// track ids for training labels are the lineage's tracklets (<see cref="LineageGraph.Tracklets"/>), so a
    /// division's links are negatives as in the reference.
    /// </summary>
    /// <param name="lineage">The spots and, for training labels, their links.</param>
    /// <param name="options">Settings; <see cref="CandidateGraphOptions.Features"/> and <see cref="CandidateGraphOptions.VoxelSize"/> are not used.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentException">The lineage has no spots, or a spot has a negative timepoint or id.</exception>
    public static CandidateGraph BuildFromSpots(LineageGraph lineage, CandidateGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        options ??= new CandidateGraphOptions();
        options.Validate();
        var trackIds = options.TrainingLabels ? TrackletIds(lineage) : null;
        return BuildFromSpots(lineage.Spots, trackIds, options);
    }

    /// <summary>Each spot's tracklet label (<see cref="LineageGraph.Tracklets"/>): the track ids of the training labels.</summary>
    internal static Dictionary<Spot, long> TrackletIds(LineageGraph lineage)
    {
        var trackIds = new Dictionary<Spot, long>(lineage.SpotCount);
        foreach (var tracklet in lineage.Tracklets())
        {
            foreach (var spot in tracklet.Spots)
            {
                trackIds[spot] = tracklet.Label;
            }
        }

        return trackIds;
    }

    /// <summary>The largest ellipsoid extent (2·√Σᵢᵢ) of the spots per axis, in physical units.</summary>
    internal static (double Z, double Y, double X) SpotExtent(IEnumerable<Spot> spots)
    {
        (double Z, double Y, double X) extent = (0, 0, 0);
        foreach (var spot in spots)
        {
            var c = spot.Covariance;
            extent = (Math.Max(extent.Z, 2 * Math.Sqrt(Math.Max(c.ZZ, 0))), Math.Max(extent.Y, 2 * Math.Sqrt(Math.Max(c.YY, 0))), Math.Max(extent.X, 2 * Math.Sqrt(Math.Max(c.XX, 0))));
        }

        return extent;
    }

    /// <summary>The graph of some spots of a lineage, labelled with the given track ids when asked for.</summary>
    internal static CandidateGraph BuildFromSpots(IEnumerable<Spot> selection, Dictionary<Spot, long>? trackIds, CandidateGraphOptions options)
    {
        var spots = selection.OrderBy(spot => spot.Timepoint).ThenBy(spot => spot.Id).ToArray();
        if (spots.Length == 0)
        {
            throw new ArgumentException("The lineage has no spots to build a graph of.", nameof(selection));
        }

        if (spots.FirstOrDefault(spot => spot.Timepoint < 0 || spot.Id < 0) is { } bad)
        {
            throw new ArgumentException($"{bad} has a negative timepoint or id.", nameof(selection));
        }

        var names = NodeFeatureColumns.Names(NodeFeatureSet.Geometry, 3);
        var features = new double[spots.Length * names.Count];
        var input = new GateInput(spots.Length);
        for (var i = 0; i < spots.Length; i++)
        {
            var spot = spots[i];
            NodeFeatureColumns.WriteGeometry(spot, features.AsSpan(i * names.Count, names.Count));
            input.Set(i, new GraphNode(spot.Timepoint, (uint)spot.Id), trackIds?.GetValueOrDefault(spot) ?? 0, (spot.Z, spot.Y, spot.X), new Point3(spot.X, spot.Y, spot.Z));
        }

        var m = options.RoiMultiplier;
        var extent = options.Roi is null || options.Radius is null ? SpotExtent(spots) : default;
        var roi = options.Roi ?? (m * extent.Z, m * extent.Y, m * extent.X);
        var radius = options.Radius ?? m * Math.Max(extent.Z, Math.Max(extent.Y, extent.X));
        List<(int, int)>? divisionLinks = null;
        if (options.TrainingLabels && options.PositiveDivisionLinks)
        {
            var index = new Dictionary<Spot, int>(spots.Length);
            for (var i = 0; i < spots.Length; i++)
            {
                index[spots[i]] = i;
            }

            divisionLinks = [.. spots.Where(spot => spot.Outgoing.Count >= 2).SelectMany(mother => mother.Outgoing
                .Where(link => link.Target.Timepoint == mother.Timepoint + 1 && index.ContainsKey(link.Target))
                .Select(link => (index[mother], index[link.Target])))];
        }

        return Assemble(input, names, features, roi, radius, options, null, divisionLinks);
    }

    /// <summary>The default radius of the radius gate: the multiplier times the largest physical extent along any axis.</summary>
    internal static double DefaultRadius(CellSequenceStatistics statistics, VoxelSize voxelSize, double multiplier)
    {
        var e = statistics.MaxExtent;
        return multiplier * Math.Max(e.Z * voxelSize.Z, Math.Max(e.Y * voxelSize.Y, e.X * voxelSize.X));
    }

    /// <summary>The cells' embeddings in node order, or null when none has one; all or none must.</summary>
    private static float[]? Embeddings(CellFeatures[] cells)
    {
        const int width = CellEmbeddingNetwork.EmbeddingSize;
        if (cells.All(cell => cell.Embedding is null))
        {
            return null;
        }

        var result = new float[cells.Length * width];
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            if (cell.Embedding is not { Count: width } embedding)
            {
                throw new ArgumentException(
                    $"Cell {cell.Label} of frame {cell.Frame} has {(cell.Embedding is null ? "no embedding" : $"an embedding of {cell.Embedding.Count} values")}; when cells carry embeddings, every cell needs {width} values.", nameof(cells));
            }

            for (var k = 0; k < width; k++)
            {
                result[(i * width) + k] = embedding[k];
            }
        }

        return result;
    }

    private static CandidateGraph Assemble(GateInput input, IReadOnlyList<string> names, double[] features, (double Z, double Y, double X) roi, double radius, CandidateGraphOptions options, float[]? embeddings, List<(int, int)>? divisionLinks)
    {
        var edges = new List<(int Source, int Target)>();
        var positives = new HashSet<(int, int)>();
        if (options.TrainingLabels)
        {
            AddTrueLinks(input, edges, positives);
            foreach (var link in divisionLinks ?? [])
            {
                if (positives.Add(link))
                {
                    edges.Add(link);
                }
            }
        }

        var positiveCount = edges.Count;
        var frames = FrameStarts(input);
        var found = new List<int>();
        var neighbors = new List<Neighbor>();
        for (var g = 0; g + 1 < frames.Count; g++)
        {
            var (from, to, end) = (frames[g], frames[g + 1], g + 2 < frames.Count ? frames[g + 2] : input.Count);
            var tree = options.Gate == CandidateGate.Radius
                ? KdTree3.Build(input.Physical.AsSpan(to, end - to), maxDegreeOfParallelism: 1)
                : null;
            for (var i = from; i < to; i++)
            {
                found.Clear();
                if (tree is null)
                {
                    for (var j = to; j < end; j++)
                    {
                        if (InsideBox(input, i, j, roi))
                        {
                            found.Add(j);
                        }
                    }
                }
                else
                {
                    neighbors.Clear();
                    tree.WithinRadius(input.Physical[i], radius, neighbors, sort: false);
                    found.AddRange(neighbors.Select(neighbor => to + neighbor.Index));
                    found.Sort(); // the reference's order: targets by node index
                }

                foreach (var j in found)
                {
                    if (!positives.Contains((i, j)))
                    {
                        edges.Add((i, j));
                    }
                }
            }
        }

        var edgeIndex = new long[2 * edges.Count];
        for (var e = 0; e < edges.Count; e++)
        {
            edgeIndex[e] = edges[e].Source;
            edgeIndex[edges.Count + e] = edges[e].Target;
        }

        float[]? labels = null;
        if (options.TrainingLabels)
        {
            labels = new float[edges.Count];
            labels.AsSpan(0, positiveCount).Fill(1);
        }

        var x = options.Normalize
            ? FeatureScaling.MinMax(features, input.Count, names.Count)
            : [.. features.Select(value => (float)value)];
        return new CandidateGraph(input.Nodes, names, x, edgeIndex, labels, embeddings);
    }

    /// <summary>The reference's <c>true_links</c>: per track id, consecutive occurrences one frame apart.</summary>
    private static void AddTrueLinks(GateInput input, List<(int, int)> edges, HashSet<(int, int)> positives)
    {
        var byTrack = new SortedDictionary<long, List<int>>();
        for (var i = 0; i < input.Count; i++)
        {
            var id = input.TrackIds[i];
            if (id <= 0)
            {
                var node = input.Nodes[i];
                throw new ArgumentException(
                    $"Training labels need a track id for every node, but frame {node.Frame}, label {node.Label} has none; measure cells with CellFeatureExtractor.ExtractWithTrackIds.");
            }

            if (!byTrack.TryGetValue(id, out var list))
            {
                byTrack.Add(id, list = []);
            }

            list.Add(i);
        }

        foreach (var list in byTrack.Values)
        {
            for (var k = 0; k + 1 < list.Count; k++)
            {
                if (input.Nodes[list[k]].Frame + 1 == input.Nodes[list[k + 1]].Frame)
                {
                    edges.Add((list[k], list[k + 1]));
                    positives.Add((list[k], list[k + 1]));
                }
            }
        }
    }

    private static bool InsideBox(GateInput input, int i, int j, (double Z, double Y, double X) roi)
    {
        var (a, b) = (input.Gate[i], input.Gate[j]);
        return Math.Abs(b.Z - a.Z) <= roi.Z && Math.Abs(b.Y - a.Y) <= roi.Y && Math.Abs(b.X - a.X) <= roi.X;
    }

    /// <summary>The first node of each present frame (nodes are sorted by frame).</summary>
    private static List<int> FrameStarts(GateInput input)
    {
        var starts = new List<int>();
        for (var i = 0; i < input.Count; i++)
        {
            if (i == 0 || input.Nodes[i].Frame != input.Nodes[i - 1].Frame)
            {
                starts.Add(i);
            }
        }

        return starts;
    }

    /// <summary>The sorted nodes with what gating and labelling need.</summary>
    private sealed class GateInput(int count)
    {
        public int Count { get; } = count;

        public GraphNode[] Nodes { get; } = new GraphNode[count];

        public long[] TrackIds { get; } = new long[count];

        /// <summary>Box-gate coordinates (Z, Y, X): rounded voxel centroids of cells, physical centres of spots.</summary>
        public (double Z, double Y, double X)[] Gate { get; } = new (double, double, double)[count];

        public Point3[] Physical { get; } = new Point3[count];

        public void Set(int i, GraphNode node, long trackId, (double Z, double Y, double X) gate, Point3 physical)
        {
            if (i > 0 && Nodes[i - 1] == node)
            {
                throw new ArgumentException($"Frame {node.Frame} holds label {node.Label} twice.");
            }

            Nodes[i] = node;
            TrackIds[i] = trackId;
            Gate[i] = gate;
            Physical[i] = physical;
        }
    }
}
