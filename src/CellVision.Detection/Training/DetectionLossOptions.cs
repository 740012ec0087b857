namespace CellVision.Detection;

/// <summary>Weights of ELEPHANT's detection loss, with its defaults.</summary>
public sealed record DetectionLossOptions
{
    /// <summary>NLL class weights (background, border, centre) (ELEPHANT: 1, 10, 10).</summary>
    public (double Background, double Border, double Centre) ClassWeights { get; init; } = (1, 10, 10);

    /// <summary>Weight of voxels annotated as false (labels 4–6) against true ones (ELEPHANT: 10).</summary>
    public double FalseWeight { get; init; } = 10;
}
