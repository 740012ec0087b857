namespace CellVision.Detection;

/// <summary>A nucleus found by prediction: centre and covariance in physical units, X, Y, Z order.</summary>
/// <param name="X">Centre X (physical units).</param>
/// <param name="Y">Centre Y (physical units).</param>
/// <param name="Z">Centre Z (physical units).</param>
/// <param name="Covariance">Row-major 3×3 covariance in X, Y, Z order whose eigenvalues are the squared radii.</param>
/// <param name="Quality">Mean centre probability over the centre region.</param>
public sealed record DetectedSpot(double X, double Y, double Z, double[] Covariance, double Quality);
