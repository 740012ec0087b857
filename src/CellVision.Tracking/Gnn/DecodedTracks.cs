using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>
/// Tracks decoded from edge probabilities: a lineage graph, the Cell Tracking Challenge track table, and each node's
/// track label for repainting the segmentation masks (every pixel of a node's segment gets the node's label).
/// </summary>
public sealed class DecodedTracks
{
    internal DecodedTracks(GnnDecoder decoder, IReadOnlyList<CellNode> nodes, LineageGraph graph, Spot[] spots, TrackRecord[] tracks, int[] nodeLabels, IReadOnlyList<CandidateEdge> links, AssignmentSummary? assignment)
    {
        Decoder = decoder;
        Nodes = nodes;
        Graph = graph;
        Spots = spots;
        Tracks = tracks;
        NodeLabels = nodeLabels;
        Links = links;
        Assignment = assignment;
    }

    /// <summary>The decoder that produced the tracks.</summary>
    public GnnDecoder Decoder { get; }

    /// <summary>The decoded cells, by node index: frame and segment label (a spot id in geometry-only tracking).</summary>
    public IReadOnlyList<CellNode> Nodes { get; }

    /// <summary>
    /// One spot per node at its physical centroid, linked parent → child (two children at a division). The global
    /// decoder gives every spot at most one parent; the reference decoder keeps its merges (a spot with two parents).
    /// </summary>
    public LineageGraph Graph { get; }

    /// <summary>Each node's spot in <see cref="Graph"/>, by node index.</summary>
    public IReadOnlyList<Spot> Spots { get; }

    /// <summary>
    /// The track table (<c>res_track.txt</c>), labels 1..K in order of begin frame so that a parent's label is below
    /// its children's. Labels are renumbered for both decoders: the reference's own labels (node ids) can pass 65535.
    /// </summary>
    public IReadOnlyList<TrackRecord> Tracks { get; }

    /// <summary>Each node's track label (1..K), by node index: what its segment is repainted to in <c>maskTTT.tif</c>.</summary>
    public IReadOnlyList<int> NodeLabels { get; }

    /// <summary>The parent → child links between nodes (also the links of <see cref="Graph"/>).</summary>
    public IReadOnlyList<CandidateEdge> Links { get; }

    /// <summary>How the global assignment was solved, or null for the reference decoder.</summary>
    public AssignmentSummary? Assignment { get; }
}
