namespace CellVision.Segmentation;

/// <summary>How the field of view walks over a training patch (google/ffn <c>train.py</c> <c>--fov_policy</c>, spec A.4.4).</summary>
public enum FloodFillMovePolicy
{
    /// <summary>
    /// The reference's default <c>fixed</c> policy: the centre, then every shift by −delta, 0 or +delta along each axis in
    /// one order shuffled at start-up, each taken where the seed has reached the move threshold.
    /// </summary>
    Fixed,

    /// <summary>
    /// The reference's <c>max_pred_moves</c>: the inference movement queue on the training seed. Each lattice cell is
    /// visited once, a move needs the seed at the move threshold and the true object there (except near the centre), and
    /// moves stay within the patch, which grows by one step along each direction (65³ for a 33³ field of view and 8³
    /// steps); the training-time scores keep the <see cref="Fixed"/> policy's central crop.
    /// </summary>
    MaxPredictionMoves,
}
