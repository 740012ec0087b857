namespace CellVision.Tracking;

/// <summary>How candidate edges between consecutive frames are chosen.</summary>
public enum CandidateGate
{
    /// <summary>
    /// The reference's axis-aligned box: i → j iff |Δ| ≤ ROI on every axis (inclusive), on the rounded voxel centroids
    /// of cells (the physical centres of spots).
    /// </summary>
    Box,

    /// <summary>A physical sphere: i → j iff the centres lie at most <see cref="CandidateGraphOptions.Radius"/> µm apart (inclusive), found with a k-d tree; suits anisotropic 3-D data.</summary>
    Radius,
}
