using CellVision.Core.Annotations;

namespace CellVision.Detection;

/// <summary>
/// One object of a ground-truth instance mask as a proofreader sees it: its label, how many voxels of it are in view,
/// and the solid ellipsoid with the same second moments (centre and covariance in physical units, X, Y, Z order).
/// </summary>
/// <param name="Label">The instance's value in the mask.</param>
/// <param name="Voxels">Voxels of the instance inside the volume.</param>
/// <param name="X">Centroid X (physical units).</param>
/// <param name="Y">Centroid Y (physical units).</param>
/// <param name="Z">Centroid Z (physical units).</param>
/// <param name="Covariance">
/// Five times the second central moments: for a solid ellipsoid the squared semi-axes, as ELEPHANT's annotations hold.
/// </param>
/// <param name="TouchesFace">Whether the instance reaches a face of the volume (it may extend beyond the view).</param>
public sealed record TruthNucleus(int Label, long Voxels, double X, double Y, double Z, Covariance3 Covariance, bool TouchesFace);
