using System.Diagnostics;
using System.Globalization;
using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Segmentation;

/// <summary>
/// Trains a flood-filling network as google/ffn's <c>train.py</c> does (spec A.4.3–A.4.7): batches of independent
/// examples, each a patch around the next training coordinate with a fresh seed whose field of view walks the
/// <c>fixed</c> moves (the centre, then the 26 shifts by one step in an order drawn once per run) wherever its own
/// prediction has reached the move threshold, the output written back into the seed after every step. Unlike the
/// reference, a seeded run is reproducible.
/// </summary>
public static class FloodFillTrainer
{
    /// <summary>
    /// Trains <paramref name="network"/> in place until <see cref="FloodFillTrainingOptions.MaxSteps"/>. With a
    /// <paramref name="checkpoint"/> path the weights are saved there every <see cref="FloodFillTrainingOptions.CheckpointInterval"/>
    /// and at the end, with the step count beside them (<c>PATH.step</c>); when both already exist, training resumes from
    /// them and goes on through the coordinates where it stopped.
    /// </summary>
    /// <param name="network">The network to train.</param>
    /// <param name="volumes">The training volumes.</param>
    /// <param name="coordinates">Patch centres, visited in order and cyclically; balanced and shuffled ones come from <see cref="FloodFillCoordinates"/>.</param>
    /// <param name="options">The settings; null for the reference's.</param>
    /// <param name="checkpoint">The checkpoint path (.pth), or null for none.</param>
    /// <param name="progress">Receives every step.</param>
    /// <param name="cancellationToken">Stops between steps; a checkpoint is written first when one is set.</param>
    /// <returns>The last step taken.</returns>
    /// <exception cref="ArgumentException">No coordinates, a volume whose image and labels differ in shape, or a coordinate whose patch leaves its volume.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static long Train(
        FloodFillNetwork network,
        IReadOnlyList<FloodFillTrainingVolume> volumes,
        IReadOnlyList<FloodFillCoordinate> coordinates,
        FloodFillTrainingOptions? options = null,
        string? checkpoint = null,
        IProgress<FloodFillTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(coordinates);
        options ??= new FloodFillTrainingOptions();
        options.Validate();
        var patch = options.PatchSize(network);
        Check(volumes, coordinates, patch);

        var step = checkpoint is null ? 0 : Resume(network, checkpoint);
        var random = new Random(unchecked((options.Seed * 1_000_003) + (int)step));
        var offsets = Offsets(network.Deltas, options.FieldOfViewMoves, new Random(options.Seed));
        var (pad, activation, threshold) = (Logit(options.SeedPad), Logit(options.SeedActivation), Logit(options.MoveThreshold));
        var (mean, scale) = ((float)options.ImageMean, (float)options.ImageStandardDeviation);
        var swapAllowed = options.PermuteYX && patch.Y == patch.X;
        var batch = options.BatchSize;
        var maxPrediction = options.MovePolicy == FloodFillMovePolicy.MaxPredictionMoves;
        var scoreThreshold = FloodFillInferenceOptions.Logit64(options.MoveThreshold);
        var examples = Enumerable.Range(0, batch)
            .Select(_ => maxPrediction ? new FloodFillExample(patch, network.FieldOfView, network.Deltas, scoreThreshold) : new FloodFillExample(patch, network.FieldOfView))
            .ToArray();
        var evaluation = options.EvaluationSize(network);
        var window = network.FieldOfView.Z * network.FieldOfView.Y * network.FieldOfView.X;
        var (image, seed, target, logits) = (new float[batch * window], new float[batch * window], new float[batch * window], new float[batch * window]);
        var next = (long)(step * batch % coordinates.Count);

        void Start(FloodFillExample example)
        {
            var (v, z, y, x) = coordinates[(int)(next++ % coordinates.Count)];
            example.Load(volumes[v], (z, y, x), options.Reflect && random.Next(2) == 1, options.Reflect && random.Next(2) == 1, options.Reflect && random.Next(2) == 1,
                swapAllowed && random.Next(2) == 1, mean, scale, pad, activation);
            example.MoveNext(offsets, threshold);
        }

        foreach (var example in examples)
        {
            Start(example);
        }

        network.Train();
        using var optimizer = CreateOptimizer(network, options);
        using var kernels = options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        var clock = Stopwatch.StartNew();
        var lastCheckpoint = clock.Elapsed;
        try
        {
            while (step < options.MaxSteps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var b = 0; b < batch; b++)
                {
                    examples[b].CopyWindow(image.AsSpan(b * window, window), seed.AsSpan(b * window, window), target.AsSpan(b * window, window));
                }

                var loss = FloodFillTrainingStep.Run(network, optimizer, options.GradientClip, image, seed, target, logits, batch);
                step++;
                long tp = 0, fp = 0, fn = 0, tn = 0;
                var finished = 0;
                for (var b = 0; b < batch; b++)
                {
                    examples[b].WriteBack(logits.AsSpan(b * window, window));
                    if (!examples[b].MoveNext(offsets, threshold))
                    {
                        var score = examples[b].Score(threshold, evaluation);
                        (tp, fp, fn, tn) = (tp + score.TruePositives, fp + score.FalsePositives, fn + score.FalseNegatives, tn + score.TrueNegatives);
                        finished++;
                        Start(examples[b]);
                    }
                }

                progress?.Report(new FloodFillTrainingProgress(step, options.MaxSteps, loss, finished, tp, fp, fn, tn, clock.Elapsed));
                if (checkpoint is not null && clock.Elapsed - lastCheckpoint >= options.CheckpointInterval)
                {
                    Save(network, checkpoint, step);
                    lastCheckpoint = clock.Elapsed;
                }
            }
        }
        finally
        {
            if (checkpoint is not null && step > 0)
            {
                Save(network, checkpoint, step);
            }

            network.Eval();
        }

        return step;
    }

    /// <summary>The reference's move offsets: the centre first, then every shift by −delta, 0 or +delta per move along each axis, shuffled once.</summary>
    internal static List<(int Z, int Y, int X)> Offsets((int Z, int Y, int X) deltas, int moves, Random random)
    {
        var steps = Enumerable.Range(-moves, (2 * moves) + 1).ToArray();
        var shifts = (from z in steps from y in steps from x in steps where (z, y, x) != (0, 0, 0) select (z * deltas.Z, y * deltas.Y, x * deltas.X)).ToArray();
        random.Shuffle(shifts);
        return [(0, 0, 0), .. shifts];
    }

    /// <summary>log(p / (1 − p)) in single precision, as the reference stores its thresholds.</summary>
    internal static Optimizer CreateOptimizer(FloodFillNetwork network, FloodFillTrainingOptions options) => options.Optimizer switch
    {
        FloodFillOptimizer.Momentum => new Sgd(network.Parameters(), options.LearningRate, momentum: 0.9),
        FloodFillOptimizer.Adam => new Adam(network.Parameters(), new AdamOptions { LearningRate = options.LearningRate, TensorFlowEpsilon = true }),
        _ => new Sgd(network.Parameters(), options.LearningRate),
    };

    internal static float Logit(double p) => (float)Math.Log(p / (1 - p));

    private static void Check(IReadOnlyList<FloodFillTrainingVolume> volumes, IReadOnlyList<FloodFillCoordinate> coordinates, (int Z, int Y, int X) patch)
    {
        if (coordinates.Count == 0)
        {
            throw new ArgumentException("No training coordinates were given.", nameof(coordinates));
        }

        for (var v = 0; v < volumes.Count; v++)
        {
            var (image, labels) = (volumes[v].Image, volumes[v].Labels);
            if (image.Depth != labels.Depth || image.Height != labels.Height || image.Width != labels.Width)
            {
                throw new ArgumentException($"Training volume {v}: the image is {image.Depth}×{image.Height}×{image.Width} but the labels are {labels.Depth}×{labels.Height}×{labels.Width} (Z×Y×X).", nameof(volumes));
            }
        }

        var (rz, ry, rx) = ((patch.Z - 1) / 2, (patch.Y - 1) / 2, (patch.X - 1) / 2);
        foreach (var (v, z, y, x) in coordinates)
        {
            if ((uint)v >= (uint)volumes.Count)
            {
                throw new ArgumentException($"Coordinate ({v}, {z}, {y}, {x}) names volume {v}, but {volumes.Count} were given.", nameof(coordinates));
            }

            var image = volumes[v].Image;
            if (z < rz || y < ry || x < rx || z + rz >= image.Depth || y + ry >= image.Height || x + rx >= image.Width)
            {
                throw new ArgumentException(
                    $"Coordinate (Z {z}, Y {y}, X {x}) of volume {v} is closer than the patch radius ({rz}, {ry}, {rx}) to the border of its {image.Depth}×{image.Height}×{image.Width} volume; build the coordinates with that margin.",
                    nameof(coordinates));
            }
        }
    }

    private static long Resume(FloodFillNetwork network, string checkpoint)
    {
        var stepFile = checkpoint + ".step";
        if (!File.Exists(checkpoint) || !File.Exists(stepFile))
        {
            return 0;
        }

        using (var saved = FloodFillNetwork.Load(checkpoint))
        using (var state = saved.StateDict())
        {
            if (saved.Options != network.Options)
            {
                throw new ArgumentException($"The checkpoint '{checkpoint}' holds a network of shape {saved.Options}, not {network.Options}.", nameof(checkpoint));
            }

            network.LoadStateDict(state);
        }

        return long.Parse(File.ReadAllText(stepFile).Trim(), CultureInfo.InvariantCulture);
    }

    private static void Save(FloodFillNetwork network, string checkpoint, long step)
    {
        network.Save(checkpoint);
        var temporary = checkpoint + ".step.partial";
        File.WriteAllText(temporary, step.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, checkpoint + ".step", overwrite: true);
    }
}
