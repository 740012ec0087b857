namespace CellVision.Detection;

/// <summary>In which order a simulated proofreader adds the nuclei the prediction missed.</summary>
public enum MissedNucleusOrder
{
    /// <summary>Most voxels in view first: the nuclei a user sees best.</summary>
    LargestFirst,

    /// <summary>A seeded random order.</summary>
    Random,
}
