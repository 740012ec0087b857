using CellVision.Core.Volumes;
using CellVision.Detection.Models;
using CellVision.Torch;

namespace CellVision.Detection.Prediction;

/// <summary>
/// Predicts ELEPHANT's detection classes over whole frames patch by patch with linear blending, and finds the nuclei.
/// </summary>
public sealed class DetectionPredictor
{
    private readonly DetectionUNet _model;
    private readonly bool[] _keepAxials;

    /// <summary>Creates a predictor for a trained model.</summary>
    /// <param name="model">The detection U-Net; it is switched to evaluation mode while predicting.</param>
    /// <param name="keepAxials">The model's four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    public DetectionPredictor(DetectionUNet model, ReadOnlySpan<bool> keepAxials)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (keepAxials.Length != 4)
        {
            throw new ArgumentException($"keepAxials needs one flag per level (4); got {keepAxials.Length}.", nameof(keepAxials));
        }

        _model = model;
        _keepAxials = keepAxials.ToArray();
    }

    /// <summary>
    /// Normalises a raw frame as ELEPHANT does (optional slice-wise median correction, then min–max to [0, 1]) and
    /// predicts its class probabilities.
    /// </summary>
    /// <param name="frame">Raw intensities, (D, H, W).</param>
    /// <param name="options">Patch layout and blending; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public DetectionProbabilities Predict(Volume<float> frame, PredictionOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= new PredictionOptions();
        using var normalised = frame.Crop(frame.Bounds);
        if (options.SliceWiseMedianCorrection)
        {
            Normalization.SliceWiseMedianCorrection(normalised);
        }

        Normalization.MinMaxToUnit(normalised.Span);
        return PredictNormalised(normalised, options, progress, cancellationToken);
    }

    /// <summary>Predicts a raw frame and returns its nuclei (ELEPHANT's detection of one timepoint).</summary>
    /// <param name="frame">Raw intensities, (D, H, W), with the frame's voxel size.</param>
    /// <param name="options">Patch layout and blending; null for ELEPHANT's defaults.</param>
    /// <param name="spotOptions">Threshold, centre ratio and radius limits; null for ELEPHANT's client defaults.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    /// <param name="probabilitiesReady">
    /// Receives the frame's class probabilities before nuclei are extracted, e.g. to keep them with
    /// <see cref="ProbabilityZarr.Write"/> (ELEPHANT's "output prediction"); they are disposed when it returns.
    /// </param>
    public IReadOnlyList<DetectedSpot> Detect(Volume<float> frame, PredictionOptions? options = null, SpotExtractionOptions? spotOptions = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default, Action<DetectionProbabilities>? probabilitiesReady = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using var probabilities = Predict(frame, options, progress, cancellationToken);
        probabilitiesReady?.Invoke(probabilities);
        return SpotExtractor.Extract(probabilities.Centre, frame.VoxelSize, spotOptions);
    }

    /// <summary>Predicts the class probabilities of a frame already normalised to [0, 1].</summary>
    /// <param name="normalised">Normalised intensities, (D, H, W).</param>
    /// <param name="options">Patch layout and blending; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public DetectionProbabilities PredictNormalised(Volume<float> normalised, PredictionOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        options ??= new PredictionOptions();
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The batch size must be at least 1.");
        }

        var grids = new[]
        {
            PatchGrid.Create(normalised.Depth, options.PatchSize.Depth),
            PatchGrid.Create(normalised.Height, options.PatchSize.Height),
            PatchGrid.Create(normalised.Width, options.PatchSize.Width),
        };
        var patches = (from z in Enumerable.Range(0, grids[0].Starts.Length)
                       from y in Enumerable.Range(0, grids[1].Starts.Length)
                       from x in Enumerable.Range(0, grids[2].Starts.Length)
                       select (Z: z, Y: y, X: x)).ToArray();
        var (pd, ph, pw) = (grids[0].Patch, grids[1].Patch, grids[2].Patch);
        var patchLength = pd * ph * pw;
        var (depth, height, width) = (normalised.Depth, normalised.Height, normalised.Width);
        var sums = new[] { new Volume<float>(depth, height, width, normalised.VoxelSize), new Volume<float>(depth, height, width, normalised.VoxelSize), new Volume<float>(depth, height, width, normalised.VoxelSize) };
        var weightSum = options.NormaliseBlendWeights ? new float[normalised.Length] : null;
        var wasTraining = _model.IsTraining;
        _model.Eval();
        try
        {
            var input = new float[options.BatchSize * patchLength];
            var output = new float[options.BatchSize * 3 * patchLength];
            for (var first = 0; first < patches.Length; first += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = patches.AsSpan(first, Math.Min(options.BatchSize, patches.Length - first));
                for (var b = 0; b < batch.Length; b++)
                {
                    CopyPatch(normalised, Origin(grids, batch[b]), (pd, ph, pw), input.AsSpan(b * patchLength, patchLength));
                }

                using (GradientMode.InferenceMode())
                using (var scope = DisposeScope.Enter())
                {
                    var tensor = Tensor.FromSpan<float>(input.AsSpan(0, batch.Length * patchLength), [batch.Length, 1, pd, ph, pw]);
                    _model.Forward(tensor, _keepAxials, options.MitigateEdgeDiscontinuities).Exp().CopyTo<float>(output.AsSpan(0, batch.Length * 3 * patchLength));
                }

                for (var b = 0; b < batch.Length; b++)
                {
                    var p = batch[b];
                    var weights = (grids[0].Weights(p.Z, options.NormaliseBlendWeights), grids[1].Weights(p.Y, options.NormaliseBlendWeights), grids[2].Weights(p.X, options.NormaliseBlendWeights));
                    Accumulate(sums, weightSum, output.AsSpan(b * 3 * patchLength, 3 * patchLength), Origin(grids, p), (pd, ph, pw), weights);
                }

                progress?.Report(new PredictionProgress(first + batch.Length, patches.Length));
            }
        }
        catch
        {
            foreach (var sum in sums)
            {
                sum.Dispose();
            }

            throw;
        }
        finally
        {
            _model.Train(wasTraining);
        }

        if (weightSum is not null)
        {
            foreach (var sum in sums)
            {
                var span = sum.Span;
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] /= weightSum[i];
                }
            }
        }

        return new DetectionProbabilities(sums[0], sums[1], sums[2]);
    }

    private static (int Z, int Y, int X) Origin(PatchGrid[] grids, (int Z, int Y, int X) patch) =>
        (grids[0].Starts[patch.Z], grids[1].Starts[patch.Y], grids[2].Starts[patch.X]);

    private static void CopyPatch(Volume<float> volume, (int Z, int Y, int X) origin, (int D, int H, int W) size, Span<float> destination)
    {
        for (var z = 0; z < size.D; z++)
        {
            for (var y = 0; y < size.H; y++)
            {
                volume.Row(origin.Z + z, origin.Y + y).Slice(origin.X, size.W).CopyTo(destination.Slice(((z * size.H) + y) * size.W, size.W));
            }
        }
    }

    private static void Accumulate(Volume<float>[] sums, float[]? weightSum, ReadOnlySpan<float> probabilities, (int Z, int Y, int X) origin, (int D, int H, int W) size, (float[] Z, float[] Y, float[] X) weights)
    {
        var patchLength = size.D * size.H * size.W;
        for (var z = 0; z < size.D; z++)
        {
            for (var y = 0; y < size.H; y++)
            {
                var wzy = weights.Z[z] * weights.Y[y];
                var source = ((z * size.H) + y) * size.W;
                var target = ((((origin.Z + z) * sums[0].Height) + origin.Y + y) * sums[0].Width) + origin.X;
                for (var c = 0; c < 3; c++)
                {
                    var row = sums[c].Span.Slice(target, size.W);
                    var p = probabilities.Slice((c * patchLength) + source, size.W);
                    for (var x = 0; x < size.W; x++)
                    {
                        row[x] += wzy * weights.X[x] * p[x];
                    }
                }

                if (weightSum is not null)
                {
                    for (var x = 0; x < size.W; x++)
                    {
                        weightSum[target + x] += wzy * weights.X[x];
                    }
                }
            }
        }
    }
}
