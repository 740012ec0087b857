namespace CellVision.Tracking;

/// <summary>A spot's estimated earlier position (physical units) and the squared length of the displacement that led there.</summary>
/// <param name="X">Estimated X at the earlier timepoint.</param>
/// <param name="Y">Estimated Y at the earlier timepoint.</param>
/// <param name="Z">Estimated Z at the earlier timepoint.</param>
/// <param name="SquaredDisplacement">Σ displacement² (0 when nothing moved or no estimate was possible).</param>
public readonly record struct MotionEstimate(double X, double Y, double Z, double SquaredDisplacement);
