using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>How flow is predicted over a frame, with ELEPHANT's defaults.</summary>
public sealed record FlowPredictionOptions
{
    /// <summary>Patch size (Z, Y, X) in voxels, clipped to the frame (ELEPHANT's client: 24 × 384 × 384).</summary>
    public (int Depth, int Height, int Width) PatchSize { get; init; } = (24, 384, 384);

    /// <summary>Patches per forward pass (ELEPHANT: 1).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Replicate-pad inside the network (ELEPHANT's flow prediction: off; its client never sends it).</summary>
    public bool MitigateEdgeDiscontinuities { get; init; }

    /// <summary>
    /// Divide the blended flow by the summed weights, with ramps that never reach 0 (default), so a constant flow stays
    /// constant across patches. False reproduces ELEPHANT, whose sums shrink the flow where the last patch of an axis
    /// was shifted back.
    /// </summary>
    public bool NormaliseBlendWeights { get; init; } = true;

    /// <summary>
    /// The part of the frame to predict (Z, Y, X voxel box; ELEPHANT's "around mouse" crop box), or null for the whole
    /// frame. Frames are still normalised as a whole, and spot positions are taken relative to the box's origin
    /// (ELEPHANT predicts the whole frame but subtracts the origin, so it samples the wrong place).
    /// </summary>
    public Box? Region { get; init; }

    /// <summary>The norm factor the network was trained with; null for <see cref="FlowNormFactor.FromKeepAxials"/> of the predictor's flags and 80 voxels.</summary>
    public FlowNormFactor? NormFactor { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends single-channel inputs and U-Net bottlenecks to a kernel 5–20 times slower; results
    /// differ from it by float32 rounding only. False reproduces PyTorch's choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;

    /// <summary>
    /// ELEPHANT's input rescaling (its <c>input_size</c> over the image size, the client's "rescale" factors), per axis
    /// (Z, Y, X): both whole frames are normalised, then resampled trilinearly with aligned corners to ⌊size × factor⌋
    /// voxels (<see cref="Networks.VolumeResampling"/>), <see cref="Region"/> is moved to ⌊origin × factor⌋ and
    /// ⌊size × factor⌋ on that grid, and the predicted flow is given in voxels of the resampled grid, whose voxel size is
    /// the frame's over the factor. The network's output (times the norm factor) is taken to be in voxels of the original
    /// frame, as ELEPHANT's training labels are (<see cref="FlowTrainingPair.Resize"/> keeps their values), so each
    /// component is multiplied by its factor, and displacements in µm come out as ELEPHANT's. (1, 1, 1), the default,
    /// resamples nothing.
    /// </summary>
    public (double Depth, double Height, double Width) ResizeFactor { get; init; } = (1, 1, 1);
}
