using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>
/// One link as ELEPHANT trains its flow model on it: the later (target) nucleus's ellipsoid and the displacement back
/// to the earlier (source) nucleus, all physical (µm), X, Y, Z.
/// </summary>
/// <param name="X">Target centre X.</param>
/// <param name="Y">Target centre Y.</param>
/// <param name="Z">Target centre Z.</param>
/// <param name="Covariance">Target ellipsoid.</param>
/// <param name="DisplacementX">Source X − target X.</param>
/// <param name="DisplacementY">Source Y − target Y.</param>
/// <param name="DisplacementZ">Source Z − target Z.</param>
public readonly record struct FlowAnnotation(double X, double Y, double Z, Covariance3 Covariance, double DisplacementX, double DisplacementY, double DisplacementZ)
{
    /// <summary>The annotation of a link: the target's ellipsoid and the displacement source − target.</summary>
    /// <param name="link">A link from an earlier to a later spot.</param>
    public static FlowAnnotation FromLink(Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var (source, target) = (link.Source, link.Target);
        return new FlowAnnotation(target.X, target.Y, target.Z, target.Covariance, source.X - target.X, source.Y - target.Y, source.Z - target.Z);
    }
}
