namespace CellVision.Detection;

/// <summary>How centre probabilities become ellipsoids, with the defaults ELEPHANT's client sends.</summary>
public sealed record SpotExtractionOptions
{
    /// <summary>Radius ratio of the nucleus centre to the whole nucleus (ELEPHANT: 0.4).</summary>
    public double CentreRatio { get; init; } = 0.4;

    /// <summary>Centre probability a voxel must exceed (strictly) to be part of a centre (ELEPHANT: 0.5).</summary>
    public double ProbabilityThreshold { get; init; } = 0.5;

    /// <summary>Smallest nucleus radius in physical units (ELEPHANT's client: 1.0; its server's default is 0).</summary>
    public double MinimumRadius { get; init; } = 1.0;

    /// <summary>Largest nucleus radius in physical units; longer axes are clipped (ELEPHANT's client: 5.0).</summary>
    public double MaximumRadius { get; init; } = 5.0;

    /// <summary>
    /// When an axis of a centre region is flat (zero second moment), ELEPHANT takes the voxel size of the image axis
    /// with the same index as the eigenvalue (its eigenvalues are sorted, so this is usually the wrong axis). False
    /// (the default) uses the voxel size of the image axis the flat eigenvector points along; true reproduces ELEPHANT.
    /// </summary>
    public bool ReferenceFlatAxisRule { get; init; }

    /// <summary>
    /// The centres were predicted slice by slice by a 2-D network (ELEPHANT's "use 2D model",
    /// <see cref="SliceWiseDetectionPredictor"/>): each slice marks the centre of the nucleus' cross-section, so a centre
    /// region spans the nucleus' whole Z extent rather than the centre ratio of it. As ELEPHANT does, the Z voxel size of
    /// the region's second moments is then multiplied by <see cref="CentreRatio"/>, so that dividing the radii by it
    /// leaves the Z radius at the region's own. Default false.
    /// </summary>
    public bool SliceWiseCentres { get; init; }
}
