using CellVision.Core.Geometry;

namespace CellVision.Tracking;

/// <summary>Settings of <see cref="CandidateGraphBuilder"/>, with the reference's defaults.</summary>
public sealed record CandidateGraphOptions
{
    /// <summary>Which node features (default: the reference's hand-crafted vector).</summary>
    public NodeFeatureSet Features { get; init; } = NodeFeatureSet.HandCrafted;

    /// <summary>Min-max scale the features over the graph's nodes (the reference: yes); false keeps raw values.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>How candidate edges are chosen (default: the reference's box).</summary>
    public CandidateGate Gate { get; init; } = CandidateGate.Box;

    /// <summary>The reference's <c>mul_vals</c>: the box half-width is this times the largest bounding-box extent (2).</summary>
    public double RoiMultiplier { get; init; } = 2;

    /// <summary>
    /// The box half-widths (Z, Y, X; voxels for cells, µm for spots). Null: <see cref="RoiMultiplier"/> times the
    /// largest extent over the graph's own nodes — right for a whole sequence; training windows pass the sequence's.
    /// </summary>
    public (double Z, double Y, double X)? Roi { get; init; }

    /// <summary>
    /// The radius of <see cref="CandidateGate.Radius"/> in µm. Null: <see cref="RoiMultiplier"/> times the largest
    /// physical extent of any node along any axis.
    /// </summary>
    public double? Radius { get; init; }

    /// <summary>The voxel size of the frames the cells were measured in (radius gate and geometry features).</summary>
    public VoxelSize VoxelSize { get; init; } = VoxelSize.Unit;

    /// <summary>
    /// Produce training labels (the reference's <c>produce_gt='simple'</c>) from the nodes' track ids; every node then
    /// needs a track id.
    /// </summary>
    public bool TrainingLabels { get; init; }

    /// <summary>
    /// Label a mother's links to her daughters positive too (default false: the reference labels them negative, since
    /// daughters carry new track ids). Needs the lineage's links, so it applies to graphs of spots
    /// (<see cref="CandidateGraphBuilder.BuildFromSpots(Core.Annotations.LineageGraph, CandidateGraphOptions?)"/>,
    /// <see cref="TrainingWindows.CreateFromSpots"/>); cells measured from masks carry no parents and refuse it.
    /// </summary>
    public bool PositiveDivisionLinks { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Features))
        {
            throw new ArgumentOutOfRangeException(nameof(Features), Features, "Unknown feature set.");
        }

        if (!Enum.IsDefined(Gate))
        {
            throw new ArgumentOutOfRangeException(nameof(Gate), Gate, "Unknown gate.");
        }

        if (!double.IsFinite(RoiMultiplier) || RoiMultiplier < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RoiMultiplier), RoiMultiplier, "The ROI multiplier must be finite and ≥ 0.");
        }

        if (Roi is { } roi && !(roi.Z >= 0 && roi.Y >= 0 && roi.X >= 0 && double.IsFinite(roi.Z + roi.Y + roi.X)))
        {
            throw new ArgumentOutOfRangeException(nameof(Roi), roi, "The ROI half-widths must be finite and ≥ 0.");
        }

        if (Radius is { } radius && !(radius >= 0 && double.IsFinite(radius)))
        {
            throw new ArgumentOutOfRangeException(nameof(Radius), radius, "The radius must be finite and ≥ 0.");
        }

        VoxelSize.Validate();
    }
}
