using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's detection loss: (1·NLL + 5·centre Dice + 1·smoothness) / 7, the NLL and Dice each taken separately over
/// true (labels 1–3) and false (4–6) voxels and mixed with the false weight. It keeps the last centre Dice value, which
/// samples without a centre label reuse, as ELEPHANT does.
/// </summary>
public sealed class DetectionLoss
{
    private readonly DetectionLossOptions options;
    private double lastDice;

    /// <summary>Creates the loss.</summary>
    /// <param name="options">Class weights and false weight; null for ELEPHANT's defaults.</param>
    public DetectionLoss(DetectionLossOptions? options = null)
    {
        this.options = options ?? new DetectionLossOptions();
        if (!(this.options.FalseWeight >= 0) || !(this.options.ClassWeights.Background >= 0 && this.options.ClassWeights.Border >= 0 && this.options.ClassWeights.Centre >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Class weights and the false weight must be non-negative.");
        }
    }

    /// <summary>
    /// The loss of a batch, or null when no sample has a labelled voxel. Temporaries belong to the caller's
    /// <see cref="DisposeScope"/>.
    /// </summary>
    /// <param name="logProbabilities">Model output, (N, 3, D, H, W) log-probabilities.</param>
    /// <param name="labels">Stored labels (N, D, H, W): 0 ignored, 1–3 true background/border/centre, 4–6 false.</param>
    public Tensor? Compute(Tensor logProbabilities, ReadOnlySpan<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        var shape = logProbabilities.Shape;
        if (shape.Length != 5 || shape[1] != 3)
        {
            throw new ArgumentException($"Log-probabilities must be (N, 3, D, H, W); got [{string.Join(", ", shape)}].", nameof(logProbabilities));
        }

        var sampleLength = checked((int)(shape[2] * shape[3] * shape[4]));
        if (labels.Length != shape[0] * sampleLength)
        {
            throw new ArgumentException($"Expected {shape[0] * sampleLength} labels for [{string.Join(", ", shape)}]; got {labels.Length}.", nameof(labels));
        }

        var device = logProbabilities.Device;
        using var weight = Tensor.FromSpan<float>([(float)options.ClassWeights.Background, (float)options.ClassWeights.Border, (float)options.ClassWeights.Centre], [3]).To(device);
        using var kernel = SmoothingKernel().To(device);
        long[] sampleShape = [1, shape[2], shape[3], shape[4]];
        Tensor? nll = null, dice = null, smooth = null;
        var counted = 0;
        for (var n = 0; n < shape[0]; n++)
        {
            var sample = labels.Slice(n * sampleLength, sampleLength);
            var targets = SplitTargets(sample, out var trueCount, out var falseCount, out var hasCentre);
            if (trueCount + falseCount == 0)
            {
                continue;
            }

            counted++;
            var logp = logProbabilities.Narrow(0, n, 1);
            var fw = options.FalseWeight;
            var total = trueCount + (fw * falseCount);
            var trueTarget = Tensor.FromArray(targets.True).Reshape(sampleShape).To(device);
            var falseTarget = Tensor.FromArray(targets.False).Reshape(sampleShape).To(device);
            var sampleNll = Tensor.Scalar(0, device: device);
            if (trueCount > 0)
            {
                sampleNll = sampleNll + (Losses.NegativeLogLikelihood(logp, trueTarget, weight) * (trueCount / total));
            }

            if (falseCount > 0)
            {
                sampleNll = sampleNll + (Losses.NegativeLogLikelihood(logp, falseTarget, weight) * (fw * falseCount / total));
            }

            var centre = logp.Select(1, 2).Exp();
            Tensor sampleDice;
            if (hasCentre)
            {
                sampleDice = (Dice(centre, trueTarget) * (trueCount / total)) + (Dice(centre, falseTarget) * (fw * falseCount / total));
                lastDice = sampleDice.Detach().ToScalar();
            }
            else
            {
                sampleDice = Tensor.Scalar(lastDice, device: device);
            }

            var p = centre.Unsqueeze(1);
            var coarse = Functional.Conv3d(p, kernel, stride: new Size3(2, 2, 2), padding: new Size3(1, 2, 2));
            var up = Functional.Interpolate(coarse, [shape[2], shape[3], shape[4]]);
            var blurred = Functional.Conv3d(up, kernel, padding: new Size3(1, 2, 2));
            var sampleSmooth = (p - blurred).Abs().Mean();

            nll = nll is null ? sampleNll : nll + sampleNll;
            dice = dice is null ? sampleDice : dice + sampleDice;
            smooth = smooth is null ? sampleSmooth : smooth + sampleSmooth;
        }

        if (counted == 0)
        {
            return null;
        }

        return ((nll! + (dice! * 5.0) + smooth!) / (7.0 * counted));
    }

    /// <summary>Dice loss of the centre probability over the voxels whose target is not ignored (−100).</summary>
    private static Tensor Dice(Tensor centre, Tensor target)
    {
        var inSet = (target >= 0).To(ScalarType.Float32);
        var isCentre = target.Equal(2).To(ScalarType.Float32);
        var overlap = (centre * isCentre * inSet).Sum();
        var denominator = ((centre * centre * inSet).Sum() + isCentre.Sum()).Clamp(1e-6, double.PositiveInfinity);
        return 1.0 - (overlap * 2.0 / denominator);
    }

    /// <summary>Targets (class 0–2, −100 elsewhere) of the true and the false voxels of one sample.</summary>
    private static (long[] True, long[] False) SplitTargets(ReadOnlySpan<byte> labels, out long trueCount, out long falseCount, out bool hasCentre)
    {
        var trueTargets = new long[labels.Length];
        var falseTargets = new long[labels.Length];
        (trueCount, falseCount, hasCentre) = (0, 0, false);
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label > 6)
            {
                throw new ArgumentException($"Detection labels are 0–6; found {label}.", nameof(labels));
            }

            trueTargets[i] = label is >= 1 and <= 3 ? label - 1 : -100;
            falseTargets[i] = label >= 4 ? label - 4 : -100;
            trueCount += label is >= 1 and <= 3 ? 1 : 0;
            falseCount += label >= 4 ? 1 : 0;
            hasCentre |= label is 3 or 6;
        }

        return (trueTargets, falseTargets);
    }

    /// <summary>Gaussian kernel (1, 1, 3, 5, 5) with σ = (1, 8, 8), normalised to sum 1.</summary>
    private static Tensor SmoothingKernel()
    {
        var values = new float[3 * 5 * 5];
        double sum = 0;
        for (var z = 0; z < 3; z++)
        {
            for (var y = 0; y < 5; y++)
            {
                for (var x = 0; x < 5; x++)
                {
                    var (dz, dy, dx) = (z - 1, y - 2, x - 2);
                    var value = Math.Exp(-((dz * dz) / 2.0) - ((dy * dy) / 128.0) - ((dx * dx) / 128.0));
                    values[(((z * 5) + y) * 5) + x] = (float)value;
                    sum += value;
                }
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] / sum);
        }

        return Tensor.FromSpan<float>(values, [1, 1, 3, 5, 5]);
    }
}
