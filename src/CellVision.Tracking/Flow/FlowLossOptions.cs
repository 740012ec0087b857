namespace CellVision.Tracking;

/// <summary>Weights and warp scaling of <see cref="FlowLoss"/>, with ELEPHANT's defaults.</summary>
public sealed record FlowLossOptions
{
    /// <summary>
    /// Weights of the X, Y and Z terms of the instance loss, normalised to sum 1. Default (1/3, 1/3, 1/3): the weights
    /// ELEPHANT's training actually uses, because it never passes the client's "flow dim weight x/y/z" (nor its server
    /// default (0.1, 0.1, 0.8)) to the loss. Here the weights given are honoured.
    /// </summary>
    public (double X, double Y, double Z) DimensionWeights { get; init; } = (1.0 / 3, 1.0 / 3, 1.0 / 3);

    /// <summary>
    /// The norm factor the prediction is multiplied by to warp frame t + 1 for the SSIM term (ELEPHANT: always
    /// (80, 80, 10), whatever the labels use). The flow trainer passes its labels' norm factor instead.
    /// </summary>
    public FlowNormFactor WarpNormFactor { get; init; } = FlowNormFactor.Elephant;
}
