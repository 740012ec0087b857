namespace CellVision.Detection;

/// <summary>How a frame is cut into patches and blended, with ELEPHANT's client defaults.</summary>
public sealed record PredictionOptions
{
    /// <summary>Patch size (Z, Y, X) in voxels, clipped to the frame (ELEPHANT: 24 × 384 × 384).</summary>
    public (int Depth, int Height, int Width) PatchSize { get; init; } = (24, 384, 384);

    /// <summary>Patches per forward pass (ELEPHANT: 1).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Replicate-pad inside the network ("mitigate edge discontinuities"; ELEPHANT: on).</summary>
    public bool MitigateEdgeDiscontinuities { get; init; } = true;

    /// <summary>Subtract each z slice's median offset from the frame's median before normalising (ELEPHANT: off).</summary>
    public bool SliceWiseMedianCorrection { get; init; }

    /// <summary>
    /// Divide the blended probabilities by the summed weights, with ramps that never reach 0, so every voxel's class
    /// probabilities sum to 1 (default). False reproduces ELEPHANT, whose sums fall below 1 where the last patch of an
    /// axis was shifted back and whose ramps can give a voxel no weight at all.
    /// </summary>
    public bool NormaliseBlendWeights { get; init; } = true;

    /// <summary>
    /// Average the class probabilities over the eight mirror images of each patch (flipped along any of Z, Y and X,
    /// predicted, and flipped back): test-time augmentation, eight times the work (ELEPHANT: off).
    /// </summary>
    public bool AverageOverFlips { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends single-channel inputs and U-Net bottlenecks to a kernel 5–20 times slower; results
    /// differ from it by float32 rounding only. False reproduces PyTorch's choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;

    /// <summary>
    /// ELEPHANT's input rescaling (the client's "rescale" factors; on the server the request's <c>input_size</c> over
    /// the image size), per axis (Z, Y, X): the normalised frame is resampled trilinearly with aligned corners to
    /// ⌊size × factor⌋ voxels, its voxel size divided by the factor, the network's keep-Z levels follow that voxel size,
    /// nuclei are found on the resampled grid (positions and covariances stay in µm), and the probabilities handed out
    /// are resampled back to the frame's size. (1, 1, 1), the default, resamples nothing.
    /// </summary>
    public (double Depth, double Height, double Width) ResizeFactor { get; init; } = (1, 1, 1);
}
