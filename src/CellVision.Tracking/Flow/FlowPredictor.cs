using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// Estimates where the nuclei of frame t were in frame t − 1 with ELEPHANT's flow network (<c>spots_with_flow</c>):
/// frames t − 1 and t, each min–max normalised, are predicted patch by patch with linear blending, the output is
/// multiplied by the norm factor (voxels), and each spot moves by the mean flow over its ellipsoid's voxels (at least 9)
/// times the voxel size. A spot whose centre lies outside the predicted region keeps its position (squared displacement 0).
/// </summary>
public sealed class FlowPredictor : ISpotMotionEstimator
{
    private readonly FlowUNet? model;
    private readonly Func<Tensor, Tensor> network;
    private readonly Func<int, Volume<float>>? loadFrame;

    /// <summary>Creates a predictor for a trained model.</summary>
    /// <param name="model">The flow network; it is switched to evaluation mode while predicting.</param>
    /// <param name="keepAxials">The model's four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    /// <param name="loadFrame">
    /// Loads the raw frame of a timepoint for <see cref="EstimatePrevious(int, IReadOnlyList{Spot}, CancellationToken)"/>;
    /// the predictor disposes each volume it returns. Null when only the frame-taking methods are used.
    /// </param>
    /// <param name="options">Patch layout, blending, region and norm factor; null for ELEPHANT's defaults.</param>
    public FlowPredictor(FlowUNet model, ReadOnlySpan<bool> keepAxials, Func<int, Volume<float>>? loadFrame = null, FlowPredictionOptions? options = null)
        : this(Network(model, keepAxials, options?.MitigateEdgeDiscontinuities ?? false), FlowNormFactor.FromKeepAxials(keepAxials), loadFrame, options)
    {
        this.model = model;
    }

    /// <summary>A predictor around any network from (N, 2, D, H, W) frames to (N, 3, D, H, W) normalised flow (for tests).</summary>
    internal FlowPredictor(Func<Tensor, Tensor> network, FlowNormFactor defaultNormFactor, Func<int, Volume<float>>? loadFrame, FlowPredictionOptions? options)
    {
        this.network = network;
        this.loadFrame = loadFrame;
        Options = options ?? new FlowPredictionOptions();
        if (Options.BatchSize < 1 || Options.PatchSize.Depth < 1 || Options.PatchSize.Height < 1 || Options.PatchSize.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Patch size and batch size must be at least 1.");
        }

        NormFactor = (Options.NormFactor ?? defaultNormFactor).Validate();
    }

    /// <summary>The options the predictor was created with.</summary>
    public FlowPredictionOptions Options { get; }

    /// <summary>The factor the network output is multiplied by to give voxels.</summary>
    public FlowNormFactor NormFactor { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The predictor was created without a frame loader.</exception>
    public IReadOnlyList<MotionEstimate> EstimatePrevious(int timepoint, IReadOnlyList<Spot> spots, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timepoint, 1);
        ArgumentNullException.ThrowIfNull(spots);
        if (loadFrame is null)
        {
            throw new InvalidOperationException("This flow predictor has no frame loader; pass frames to EstimatePrevious(previous, current, spots) or create it with one.");
        }

        if (spots.Count == 0)
        {
            return [];
        }

        using var previous = loadFrame(timepoint - 1);
        using var current = loadFrame(timepoint);
        return EstimatePrevious(previous, current, spots, null, cancellationToken);
    }

    /// <summary>Estimates, for spots of frame t, their positions in frame t − 1 from the two raw frames.</summary>
    /// <param name="previous">Raw frame t − 1.</param>
    /// <param name="current">Raw frame t, with the voxel size that spot positions refer to (voxel k ↔ k · voxel size).</param>
    /// <param name="spots">Spots of frame t.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    /// <returns>One estimate per spot, in order.</returns>
    public IReadOnlyList<MotionEstimate> EstimatePrevious(Volume<float> previous, Volume<float> current, IReadOnlyList<Spot> spots, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spots);
        using var flow = PredictFlow(previous, current, progress, cancellationToken);
        return Estimate(flow, spots, cancellationToken);
    }

    /// <summary>Predicts the backward flow of frame t (to frame t − 1) over <see cref="FlowPredictionOptions.Region"/>.</summary>
    /// <param name="previous">Raw frame t − 1.</param>
    /// <param name="current">Raw frame t (same shape).</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    /// <exception cref="ArgumentException">The frames differ in shape or the region leaves them.</exception>
    public FlowField PredictFlow(Volume<float> previous, Volume<float> current, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        if (previous.Depth != current.Depth || previous.Height != current.Height || previous.Width != current.Width)
        {
            throw new ArgumentException($"Frames t − 1 ({previous.Depth}×{previous.Height}×{previous.Width}) and t ({current.Depth}×{current.Height}×{current.Width}) must have one shape.", nameof(previous));
        }

        var region = Options.Region ?? current.Bounds;
        if (region.Rank != 3 || region.IsEmpty || !current.Bounds.Contains(region))
        {
            throw new ArgumentException($"The region {region} must be a non-empty box inside the {current.Depth}×{current.Height}×{current.Width} frame.", nameof(previous));
        }

        var factor = Options.ResizeFactor;
        if (!VolumeResampling.IsIdentity(factor))
        {
            return PredictResampled(previous, current, region, factor, progress, cancellationToken);
        }

        // Whole frames are normalised, then the region is cut out of them.
        using var first = Normalised(previous, region);
        using var second = Normalised(current, region);
        return Predict(first, second, region, current.VoxelSize, progress, cancellationToken);
    }

    /// <summary>
    /// <see cref="PredictFlow"/> with <see cref="FlowPredictionOptions.ResizeFactor"/>: whole frames normalised and
    /// resampled, the region moved onto the resampled grid, the flow converted to voxels of that grid.
    /// </summary>
    private FlowField PredictResampled(Volume<float> previous, Volume<float> current, Box region, (double Depth, double Height, double Width) factor, IProgress<PredictionProgress>? progress, CancellationToken cancellationToken)
    {
        var size = VolumeResampling.Size(current.Depth, current.Height, current.Width, factor);
        var voxelSize = VolumeResampling.Resampled(current.VoxelSize, factor);
        using var wholePrevious = Normalised(previous, previous.Bounds);
        using var wholeCurrent = Normalised(current, current.Bounds);
        using var resampledPrevious = VolumeResampling.Trilinear(wholePrevious, size, voxelSize);
        using var resampledCurrent = VolumeResampling.Trilinear(wholeCurrent, size, voxelSize);
        var moved = Options.Region is null ? resampledCurrent.Bounds : Moved(region, factor, size);
        using var first = resampledPrevious.Crop(moved);
        using var second = resampledCurrent.Crop(moved);
        var flow = Predict(first, second, moved, voxelSize, progress, cancellationToken);
        Scale(flow.X, factor.Width);
        Scale(flow.Y, factor.Height);
        Scale(flow.Z, factor.Depth);
        return flow;

        static void Scale(Volume<float> component, double by)
        {
            var span = component.Span;
            var f = (float)by;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] *= f;
            }
        }
    }

    /// <summary>A region of the frame on the resampled grid: ⌊origin × factor⌋ and ⌊size × factor⌋ (at least 1), kept inside it.</summary>
    private static Box Moved(Box region, (double Depth, double Height, double Width) factor, (int Depth, int Height, int Width) size)
    {
        double[] factors = [factor.Depth, factor.Height, factor.Width];
        int[] limits = [size.Depth, size.Height, size.Width];
        var start = new long[3];
        var extent = new long[3];
        for (var d = 0; d < 3; d++)
        {
            extent[d] = Math.Clamp((long)Math.Floor((region.Size[d] * factors[d]) + 1e-9), 1, limits[d]);
            start[d] = Math.Clamp((long)Math.Floor((region.Start[d] * factors[d]) + 1e-9), 0, limits[d] - extent[d]);
        }

        return new Box(start, extent);
    }

    /// <summary>Moves each spot by the mean flow over its ellipsoid (ELEPHANT's <c>_estimate_spots_with_flow</c>).</summary>
    /// <param name="flow">Predicted flow.</param>
    /// <param name="spots">Spots of frame t (positions physical, relative to voxel 0 of the frame).</param>
    /// <param name="cancellationToken">Stops between spots.</param>
    /// <returns>One estimate per spot, in order: the position in frame t − 1 and the squared displacement.</returns>
    public static IReadOnlyList<MotionEstimate> Estimate(FlowField flow, IReadOnlyList<Spot> spots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(spots);
        var voxel = flow.VoxelSize;
        double[] scales = [voxel.Z, voxel.Y, voxel.X];
        int[] dims = [flow.X.Depth, flow.X.Height, flow.X.Width];
        var (oz, oy, ox) = (flow.Region.Start[0] * voxel.Z, flow.Region.Start[1] * voxel.Y, flow.Region.Start[2] * voxel.X);
        var estimates = new MotionEstimate[spots.Count];
        Parallel.For(0, spots.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var spot = spots[i];
            var (x, y, z) = (spot.X - ox, spot.Y - oy, spot.Z - oz);
            if (!Inside(z / voxel.Z, dims[0]) || !Inside(y / voxel.Y, dims[1]) || !Inside(x / voxel.X, dims[2]))
            {
                estimates[i] = new MotionEstimate(spot.X, spot.Y, spot.Z, 0);
                return;
            }

            var voxels = FlowLabelGenerator.Rasterise(x, y, z, spot.Covariance, scales, dims, FlowLabelGenerator.MinimumVoxels);
            if (voxels.Count == 0)
            {
                estimates[i] = new MotionEstimate(spot.X, spot.Y, spot.Z, 0);
                return;
            }

            double sx = 0, sy = 0, sz = 0;
            ReadOnlySpan<float> fx = flow.X.Span, fy = flow.Y.Span, fz = flow.Z.Span;
            foreach (var index in voxels)
            {
                sx += fx[index];
                sy += fy[index];
                sz += fz[index];
            }

            var (dx, dy, dz) = (sx / voxels.Count * voxel.X, sy / voxels.Count * voxel.Y, sz / voxels.Count * voxel.Z);
            estimates[i] = new MotionEstimate(spot.X + dx, spot.Y + dy, spot.Z + dz, (dx * dx) + (dy * dy) + (dz * dz));
        });
        return estimates;
    }

    private static bool Inside(double voxel, int size) => voxel >= -0.5 && voxel < size - 0.5;

    private static Func<Tensor, Tensor> Network(FlowUNet model, ReadOnlySpan<bool> keepAxials, bool pad)
    {
        ArgumentNullException.ThrowIfNull(model);
        UNetSkeleton.RequireFourLevels(keepAxials);

        var keep = keepAxials.ToArray();
        return input => model.Forward(input.To(model.Parameters().First().Device), keep, pad);
    }

    private static Volume<float> Normalised(Volume<float> frame, Box region)
    {
        using var copy = frame.Crop(frame.Bounds);
        Normalization.MinMaxToUnit(copy.Span);
        return copy.Crop(region);
    }

    private FlowField Predict(Volume<float> previous, Volume<float> current, Box region, Core.Geometry.VoxelSize voxelSize, IProgress<PredictionProgress>? progress, CancellationToken cancellationToken)
    {
        var (sums, weightSum) = PatchBlending.Predict(
            [previous, current], Options.PatchSize, Options.BatchSize, Options.NormaliseBlendWeights, 3, voxelSize, model,
            PredictBatch, Options.OneDnnConvolutions, progress, cancellationToken);

        double[] factors = [NormFactor.X, NormFactor.Y, NormFactor.Z];
        for (var c = 0; c < 3; c++)
        {
            var span = sums[c].Span;
            var factor = (float)factors[c];
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = weightSum is null ? span[i] * factor : span[i] / weightSum[i] * factor;
            }
        }

        return new FlowField(sums[0], sums[1], sums[2], region, voxelSize);
    }

    /// <summary>Runs the network on a batch of patch pairs and checks that it returns three channels of the same size.</summary>
    private Tensor PredictBatch(Tensor batch)
    {
        var result = network(batch);
        long[] expected = [batch.Shape[0], 3, .. batch.Shape.AsSpan(2)];
        if (!result.Shape.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The flow network returned [{string.Join(", ", result.Shape)}] for [{string.Join(", ", batch.Shape)}]; expected [{string.Join(", ", expected)}].");
        }

        return result.To(Device.Cpu, ScalarType.Float32).Contiguous();
    }
}
