namespace CellVision.Segmentation;

/// <summary>What became of one seed, in the order of the reference's checks (spec A.3.7).</summary>
public enum FloodFillSeedOutcome
{
    /// <summary>Skipped unmarked: too close to the volume's faces, already segmented, or outside the allowed region.</summary>
    Invalid,

    /// <summary>A segmented voxel lies within the minimum boundary distance; the seed voxel is marked so it is not tried again.</summary>
    NearSegment,

    /// <summary>The network never ran: the seed itself was not a valid position (e.g. an initial activation below the move threshold).</summary>
    NoSteps,

    /// <summary>The seed voxel's probability ended below the move threshold; the seed voxel is marked.</summary>
    WeakSeed,

    /// <summary>Fewer new voxels than the minimum segment size reached the segment threshold; the seed voxel is marked.</summary>
    TooSmall,

    /// <summary>The object was written with a new id.</summary>
    Accepted,
}
