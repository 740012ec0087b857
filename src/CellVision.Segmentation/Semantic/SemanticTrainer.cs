using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Segmentation;

/// <summary>
/// incasem's training loop (spec B.4): blocks drawn by its foreground and mask rules and augmented (see <see cref="SemanticSamplingOptions"/> and <see cref="SemanticAugmentationOptions"/>), one balanced,
/// masked cross-entropy Adam step per block (<see cref="SemanticTrainingStep"/>), the checkpoint every
/// <see cref="SemanticTrainingOptions.CheckpointInterval"/> steps and the validation Dice per class every
/// <see cref="SemanticTrainingOptions.ValidationInterval"/> steps.
/// </summary>
public static class SemanticTrainer
{
    /// <summary>Trains <paramref name="network"/> up to <see cref="SemanticTrainingOptions.Iterations"/> steps.</summary>
    /// <param name="network">The network; left in evaluation mode.</param>
    /// <param name="training">The training data sets.</param>
    /// <param name="options">Settings; null for incasem's.</param>
    /// <param name="validation">Data sets scored during training; null or empty for none.</param>
    /// <param name="checkpoint">
    /// The weights file (an incasem checkpoint, <see cref="SemanticUNet.Save"/>) with its step count in CHECKPOINT.step.
    /// When both exist the weights are loaded and training continues from that step (Adam's moments restart). Null for
    /// no checkpoint.
    /// </param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Checked before every step; the checkpoint is written before it throws.</param>
    /// <returns>The last step taken.</returns>
    /// <exception cref="ArgumentException">A data set does not fit the network or has no usable block.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static long Train(
        SemanticUNet network,
        IReadOnlyList<SemanticTrainingVolume> training,
        SemanticTrainingOptions? options = null,
        IReadOnlyList<SemanticTrainingVolume>? validation = null,
        string? checkpoint = null,
        IProgress<SemanticTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        options ??= new SemanticTrainingOptions();
        options.Validate();
        var output = network.GetOutputSize(options.InputSize);
        CheckLabels(training, network.Classes, nameof(training));
        CheckLabels(validation ?? [], network.Classes, nameof(validation));
        var step = checkpoint is not null && File.Exists(checkpoint) && File.Exists(checkpoint + ".step") ? Resume(network, checkpoint) : 0;
        var random = new Random(unchecked((options.Seed * 1_000_003) + (int)step));
        var source = new SemanticSampleSource(training, options.InputSize, output, options.Sampling ?? new SemanticSamplingOptions(), options.Augmentation ?? new SemanticAugmentationOptions(), random);
        using var optimizer = SemanticTrainingStep.CreateOptimizer(network, options);
        using var kernels = options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        var clock = Stopwatch.StartNew();
        network.Train();
        try
        {
            while (step < options.Iterations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sample = source.Next();
                var loss = SemanticTrainingStep.Run(network, optimizer, sample.Image, options.InputSize, sample.Labels, sample.Mask, options);
                step++;
                IReadOnlyList<double>? dice = null;
                if (validation is { Count: > 0 } && step % options.ValidationInterval == 0)
                {
                    network.Eval();
                    dice = Validate(network, validation, options, cancellationToken);
                    network.Train();
                }

                if (checkpoint is not null && step % options.CheckpointInterval == 0)
                {
                    Save(network, checkpoint, step);
                }

                progress?.Report(new SemanticTrainingProgress(step, options.Iterations, loss, clock.Elapsed, dice));
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

    /// <summary>
    /// The Dice coefficient of each foreground class over data sets (incasem's training-time metric): the network's
    /// softmax ≥ 0.5 against the labels, over the voxels its blocks cover inside mask ∧ metric mask.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="volumes">The data sets.</param>
    /// <param name="options">The input block and kernel choice.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>Dice of classes 1..K − 1; NaN where a class is absent from both labels and prediction.</returns>
    public static IReadOnlyList<double> Validate(SemanticUNet network, IReadOnlyList<SemanticTrainingVolume> volumes, SemanticTrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(volumes);
        options ??= new SemanticTrainingOptions();
        var classes = network.Classes;
        var counts = new long[classes, 3];
        var output = network.GetOutputSize(options.InputSize);
        var context = ((options.InputSize.Z - output.Z) / 2, (options.InputSize.Y - output.Y) / 2, (options.InputSize.X - output.X) / 2);
        foreach (var volume in volumes)
        {
            var region = RawRegion(volume, context);
            var maps = Enumerable.Range(0, classes).Select(_ => new Volume<float>(volume.Raw.Depth, volume.Raw.Height, volume.Raw.Width)).ToArray();
            try
            {
                var grid = SemanticPredictor.Predict(new InMemoryChunkedVolume<byte>(volume.Raw), network, new SemanticPredictionTargets([.. maps.Select(m => new InMemoryChunkedVolume<float>(m))], null),
                    new SemanticPredictionOptions { InputSize = options.InputSize, OneDnnConvolutions = options.OneDnnConvolutions, BlocksInFlight = 1 }, region, cancellationToken: cancellationToken);
                Count(volume, grid.Covered, maps, counts);
            }
            finally
            {
                foreach (var map in maps)
                {
                    map.Dispose();
                }
            }
        }

        return [.. Enumerable.Range(1, classes - 1).Select(c => counts[c, 0] + counts[c, 1] + counts[c, 2] == 0 ? double.NaN : 2.0 * counts[c, 0] / ((2.0 * counts[c, 0]) + counts[c, 1] + counts[c, 2]))];
    }

    /// <summary>The raw region to predict: the labels' region grown by the context, within the raw image.</summary>
    private static Box RawRegion(SemanticTrainingVolume volume, (int Z, int Y, int X) context)
    {
        var (oz, oy, ox) = volume.RawOffset;
        var z0 = Math.Max(0, oz - context.Z);
        var y0 = Math.Max(0, oy - context.Y);
        var x0 = Math.Max(0, ox - context.X);
        var z1 = Math.Min(volume.Raw.Depth, oz + volume.Labels.Depth + context.Z);
        var y1 = Math.Min(volume.Raw.Height, oy + volume.Labels.Height + context.Y);
        var x1 = Math.Min(volume.Raw.Width, ox + volume.Labels.Width + context.X);
        return Box.FromZyx(z0, y0, x0, z1 - z0, y1 - y0, x1 - x0);
    }

    /// <summary>Adds true positives, false positives and false negatives per class over the covered labelled voxels that count.</summary>
    private static void Count(SemanticTrainingVolume volume, Box covered, Volume<float>[] maps, long[,] counts)
    {
        var (oz, oy, ox) = volume.RawOffset;
        for (var z = (int)covered.Start[0]; z < covered.Start[0] + covered.Size[0]; z++)
        {
            for (var y = (int)covered.Start[1]; y < covered.Start[1] + covered.Size[1]; y++)
            {
                for (var x = (int)covered.Start[2]; x < covered.Start[2] + covered.Size[2]; x++)
                {
                    var (lz, ly, lx) = (z - oz, y - oy, x - ox);
                    if (lz < 0 || ly < 0 || lx < 0 || lz >= volume.Labels.Depth || ly >= volume.Labels.Height || lx >= volume.Labels.Width)
                    {
                        continue;
                    }

                    if ((volume.Mask is { } mask && mask[lz, ly, lx] == 0) || (volume.MetricMask is { } metric && metric[lz, ly, lx] == 0))
                    {
                        continue;
                    }

                    var label = volume.Labels[lz, ly, lx];
                    for (var c = 1; c < maps.Length; c++)
                    {
                        var predicted = maps[c][z, y, x] >= 0.5f;
                        var truth = label == c;
                        if (predicted && truth)
                        {
                            counts[c, 0]++;
                        }
                        else if (predicted)
                        {
                            counts[c, 1]++;
                        }
                        else if (truth)
                        {
                            counts[c, 2]++;
                        }
                    }
                }
            }
        }
    }

    private static void CheckLabels(IReadOnlyList<SemanticTrainingVolume> volumes, int classes, string name)
    {
        for (var v = 0; v < volumes.Count; v++)
        {
            volumes[v].Validate($"Data set {v}");
            var largest = 0;
            foreach (var label in volumes[v].Labels.Span)
            {
                largest = Math.Max(largest, label);
            }

            if (largest >= classes)
            {
                throw new ArgumentException($"Data set {v} holds class {largest}, but the network predicts {classes} classes (0..{classes - 1}).", name);
            }
        }
    }

    private static long Resume(SemanticUNet network, string checkpoint)
    {
        var text = File.ReadAllText(checkpoint + ".step").Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
        {
            throw new FormatException($"'{checkpoint}.step' should hold the step count; it holds '{text}'.");
        }

        using var saved = SemanticUNet.Load(checkpoint, network.UNet.Options.DownsampleFactors);
        using var state = saved.StateDict();
        network.LoadStateDict(state);
        return step;
    }

    /// <summary>Writes the weights, then the step count, each through a temporary file, so a crash never leaves a half-written pair.</summary>
    private static void Save(SemanticUNet network, string checkpoint, long step)
    {
        network.Save(checkpoint);
        var temporary = checkpoint + ".step.tmp";
        File.WriteAllText(temporary, step.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, checkpoint + ".step", overwrite: true);
    }
}
