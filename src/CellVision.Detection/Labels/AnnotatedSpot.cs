using CellVision.Core.Annotations;
namespace CellVision.Detection;

/// <summary>An ellipsoidal annotation in physical units (µm), as ELEPHANT sends it for label generation.</summary>
/// <param name="X">Centre X.</param>
/// <param name="Y">Centre Y.</param>
/// <param name="Z">Centre Z.</param>
/// <param name="Covariance">Row-major 3×3 covariance in X, Y, Z order (µm²); its eigenvalues are the squared radii.</param>
/// <param name="Tag">The detection tag.</param>
public sealed record AnnotatedSpot(double X, double Y, double Z, double[] Covariance, DetectionTag Tag);
