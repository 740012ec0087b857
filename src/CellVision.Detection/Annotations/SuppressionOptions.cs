using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Detection.Annotations;

/// <summary>
/// An axis-aligned box in physical units (X, Y, Z), holding the points with <c>min ≤ p &lt; min + size</c> on every axis
/// (ELEPHANT's <c>spotIsInside</c>).
/// </summary>
/// <param name="X">Smallest X.</param>
/// <param name="Y">Smallest Y.</param>
/// <param name="Z">Smallest Z.</param>
/// <param name="Width">Extent along X.</param>
/// <param name="Height">Extent along Y.</param>
/// <param name="Depth">Extent along Z.</param>
public readonly record struct PhysicalBox(double X, double Y, double Z, double Width, double Height, double Depth)
{
    /// <summary>The physical box of a voxel box: voxel k starts at k · voxel size, as ELEPHANT's client converts its crop box.</summary>
    /// <param name="voxels">A (Z, Y, X) box of voxel indices.</param>
    /// <param name="voxelSize">The voxel size.</param>
    public static PhysicalBox FromVoxels(Box voxels, VoxelSize voxelSize)
    {
        if (voxels.Rank != 3)
        {
            throw new ArgumentException($"A crop box has three dimensions (Z, Y, X); got {voxels.Rank}.", nameof(voxels));
        }

        return new PhysicalBox(
            voxels.Start[2] * voxelSize.X, voxels.Start[1] * voxelSize.Y, voxels.Start[0] * voxelSize.Z,
            voxels.Size[2] * voxelSize.X, voxels.Size[1] * voxelSize.Y, voxels.Size[0] * voxelSize.Z);
    }

    /// <summary>Whether the point lies in the box (lower faces included, upper faces excluded).</summary>
    /// <param name="x">X.</param>
    /// <param name="y">Y.</param>
    /// <param name="z">Z.</param>
    public bool Contains(double x, double y, double z) =>
        X <= x && x < X + Width && Y <= y && y < Y + Height && Z <= z && z < Z + Depth;
}

/// <summary>How predicted nuclei are merged into the annotations (ELEPHANT's client), with its defaults.</summary>
public sealed record SuppressionOptions
{
    /// <summary>The options of ELEPHANT's live mode: only the current timepoint is predicted.</summary>
    public static SuppressionOptions Live { get; } = new() { TimeRange = 1 };

    /// <summary>
    /// A predicted nucleus whose centre lies closer than this (physical units, strictly) to an existing spot's centre is
    /// not added (ELEPHANT's suppression distance d_sup: 3.0).
    /// </summary>
    public double SuppressionDistance { get; init; } = 3.0;

    /// <summary>Timepoints predicted at once, ending with the current one (ELEPHANT: 10; 1 in live mode).</summary>
    public int TimeRange { get; init; } = 10;

    /// <summary>
    /// The region predicted ("around mouse"); null for whole frames. Only spots inside it are re-labelled or removed
    /// before the predicted nuclei are merged; the nearest-spot search still sees every spot of the timepoint.
    /// </summary>
    public PhysicalBox? CropBox { get; init; }

    /// <summary>
    /// Whether an unlabelled spot with an approved tracking tag is refitted to a larger predicted nucleus like any other
    /// unlabelled spot. False (ELEPHANT's rule) keeps approved spots as they are and drops the prediction.
    /// </summary>
    public bool RefitApprovedSpots { get; init; }
}

/// <summary>What <see cref="SpotSuppressor.Apply"/> did at one timepoint.</summary>
/// <param name="Relabelled">Existing spots re-labelled before merging (tp→fn, fp→tn, fb→tb).</param>
/// <param name="Removed">Unlabelled, unapproved spots removed before merging.</param>
/// <param name="Confirmed">Existing spots a prediction re-tagged (fn→tp, tn→fp, tb→fb).</param>
/// <param name="Suppressed">Predicted nuclei dropped because a spot lay closer than the suppression distance (confirmations included, refits excluded).</param>
/// <param name="Refitted">Unlabelled spots moved to and reshaped as a larger predicted nucleus.</param>
/// <param name="Added">Predicted nuclei added as new spots.</param>
public readonly record struct SuppressionResult(int Relabelled, int Removed, int Confirmed, int Suppressed, int Refitted, int Added);
