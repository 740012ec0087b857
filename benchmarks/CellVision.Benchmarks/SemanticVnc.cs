using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.IO.Tiff;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>semantic-vnc</c>: incasem's semantic U-Net in a serial-section configuration ((1, 2, 2) pooling, (1, 3, 3)
/// kernels) trained on sections 0–9 of the Drosophila VNC ssTEM stack (real EM, ~4.6×4.6×50 nm) for membranes and
/// mitochondria together (three classes), then predicted block by block on sections 10–13 and scored as incasem reports
/// it: F1 of softmax ≥ 0.5 per class, with the 4/4 metric exclusion mask of that class and without, over the voxels the
/// blocks cover. Prints the training time and steps/s.
/// </summary>
internal static class SemanticVnc
{
    private static readonly string[] ClassNames = ["other", "membrane", "mitochondria"];

    internal static int Run(string folder, string model, long iterations, int size, int featureMaps, double learningRate, int seed, int threads, bool selectThresholds = false, SemanticTestTimeAugmentation augmentation = SemanticTestTimeAugmentation.None)
    {
        TorchRuntime.ThreadCount = threads;
        using var rawTiff = TiffFile.Open(Path.Combine(folder, "raw_zyx_uint8.tif"));
        using var raw = rawTiff.ReadStack<byte>();
        using var labelTiff = TiffFile.Open(Path.Combine(folder, "labels_classes_zyx_uint8.tif"));
        using var upstream = labelTiff.ReadStack<byte>();
        using var classes = new Volume<byte>(upstream.Depth, upstream.Height, upstream.Width);
        for (var i = 0; i < classes.Length; i++)
        {
            // The data's ids: 1 membrane, 3 mitochondria; glia/extracellular (2) and synapses (4) count as "other".
            classes.Span[i] = upstream.Span[i] switch { 1 => 1, 3 => 2, _ => 0 };
        }

        using var trainRaw = raw.Crop(Box.FromZyx(0, 0, 0, 10, raw.Height, raw.Width));
        using var trainLabels = classes.Crop(Box.FromZyx(0, 0, 0, 10, raw.Height, raw.Width));
        var options = new SemanticUNetOptions
        {
            Classes = 3,
            FinalKernel = new Size3(1, 3, 3),
            UNet = new ValidUNetOptions
            {
                FeatureMaps = featureMaps,
                DownsampleFactors = [new(1, 2, 2), new(1, 2, 2), new(1, 2, 2)],
                DownKernelSizes = [.. Enumerable.Range(0, 4).Select(_ => (IReadOnlyList<Size3>)[new(1, 3, 3), new(1, 3, 3)])],
                UpKernelSizes = [.. Enumerable.Range(0, 3).Select(_ => (IReadOnlyList<Size3>)[new(1, 3, 3), new(1, 3, 3)])],
            },
        };
        using var network = File.Exists(model) && !File.Exists(model + ".step") ? SemanticUNet.Load(model, options.UNet.DownsampleFactors) : TorchRuntime.Seeded(unchecked((ulong)seed), () => new SemanticUNet(options));
        var valid = network.GetValidInputSizes(1, size);
        var input = (1, valid[^1], valid[^1]);
        var output = network.GetOutputSize(input);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"network: {featureMaps} feature maps, pooling (1,2,2)x3, kernels (1,3,3), {network.Parameters().Sum(p => p.ElementCount)} parameters; input {input} -> output {output}; threads {TorchRuntime.ThreadCount}"));

        var training = new SemanticTrainingOptions
        {
            Iterations = iterations,
            InputSize = input,
            LearningRate = learningRate,
            CheckpointInterval = 500,
            ValidationInterval = int.MaxValue,
            Seed = seed,
            Augmentation = new SemanticAugmentationOptions { TransposableAxes = (false, true, true), JitterSigma = (0, 2, 2), SectionShiftProbability = 0 },
        };
        var clock = Stopwatch.StartNew();
        if (!File.Exists(model) || File.Exists(model + ".step"))
        {
            var lastReport = TimeSpan.Zero;
            double loss = 0;
            var count = 0;
            var first = -1L;
            var progress = new Progress(p =>
            {
                first = first < 0 ? p.Step : first;
                (loss, count) = (loss + p.Loss, count + 1);
                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(60) || p.Step == p.Iterations)
                {
                    lastReport = clock.Elapsed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  step {p.Step}/{p.Iterations}: loss {loss / count:F4}, {clock.Elapsed.TotalSeconds:F0} s, {(p.Step - first + 1) / clock.Elapsed.TotalSeconds:F2} steps/s"));
                    (loss, count) = (0, 0);
                }
            });
            SemanticTrainer.Train(network, [new SemanticTrainingVolume(trainRaw, trainLabels)], training, checkpoint: model, progress: progress);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {iterations} steps in {clock.Elapsed.TotalSeconds:F0} s ({clock.Elapsed.TotalMinutes:F1} min); weights {model}"));
        }

        clock.Restart();
        var maps = Enumerable.Range(0, 3).Select(_ => new Volume<float>(raw.Depth, raw.Height, raw.Width)).ToArray();
        try
        {
            Box Predict(Box region)
            {
                var grid = SemanticPredictor.Predict(new InMemoryChunkedVolume<byte>(raw), network, new SemanticPredictionTargets([.. maps.Select(m => new InMemoryChunkedVolume<float>(m))], null),
                    new SemanticPredictionOptions { InputSize = input, TestTimeAugmentation = augmentation }, region);
                return grid.Covered;
            }

            var covered = Predict(Box.FromZyx(10, 0, 0, raw.Depth - 10, raw.Height, raw.Width));
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"predicted sections 10-{raw.Depth - 1} (test-time augmentation: {augmentation}) in {seconds:F1} s ({covered.ElementCount / seconds:F0} output voxels/s); scored region {covered}"));

            // A threshold per class, chosen where F1 peaks on training sections' own predictions (6-9; never on 10-13),
            // as incasem's evaluation script sweeps thresholds.
            var chosen = new double[3];
            Array.Fill(chosen, 0.5);
            if (selectThresholds)
            {
                var trainingRegion = Predict(Box.FromZyx(6, 0, 0, 4, raw.Height, raw.Width));
                using var trainingTruth = classes.Crop(trainingRegion);
                var sweep = new SemanticEvaluationOptions { Border = 0, Thresholds = [.. Enumerable.Range(1, 19).Select(i => i / 20.0)] };
                for (var c = 1; c < 3; c++)
                {
                    using var probabilities = maps[c].Crop(trainingRegion);
                    var scores = SemanticEvaluator.Evaluate(probabilities, trainingTruth, c, options: sweep);
                    var best = Enumerable.Range(0, scores.Count).MaxBy(i => scores[i].F1);
                    chosen[c] = sweep.Thresholds[best];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{ClassNames[c]}: threshold {chosen[c]:F2} chosen on sections 6-9 (their F1 {scores[best].F1:F4}; at 0.5 {scores[9].F1:F4})"));
                }
            }

            using var truth = classes.Crop(covered);
            for (var c = 1; c < 3; c++)
            {
                using var probabilities = maps[c].Crop(covered);
                var thresholds = chosen[c] == 0.5 ? new[] { 0.5 } : new[] { 0.5, chosen[c] };
                foreach (var threshold in thresholds)
                {
                    var evaluation = new SemanticEvaluationOptions { Border = 0, Thresholds = [threshold] };
                    var plain = SemanticEvaluator.Evaluate(probabilities, truth, c, options: evaluation)[0];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ClassNames[c]} at threshold {threshold:F2}: F1 {plain.F1:F4} (precision {plain.Precision:F4}, recall {plain.Recall:F4}) over {plain.Voxels} voxels"));
                    foreach (var withinSections in new[] { false, true })
                    {
                        using var metric = MetricExclusionMask.Compute(truth, new MetricExclusionMaskOptions { InnerWidth = 4, OuterWidth = 4, ClassId = c, WithinSections = withinSections });
                        var masked = SemanticEvaluator.Evaluate(probabilities, truth, c, metricMask: metric, options: evaluation)[0];
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  with the 4/4 metric mask{(withinSections ? " within sections" : " (3-D cross, the reference's)")}: F1 {masked.F1:F4} (precision {masked.Precision:F4}, recall {masked.Recall:F4}; TP {masked.TruePositives}, FP {masked.FalsePositives}, FN {masked.FalseNegatives}; {masked.Voxels} voxels counted)"));
                    }
                }
            }
        }
        finally
        {
            foreach (var map in maps)
            {
                map.Dispose();
            }
        }

        return 0;
    }

    private sealed class Progress(Action<SemanticTrainingProgress> report) : IProgress<SemanticTrainingProgress>
    {
        public void Report(SemanticTrainingProgress value) => report(value);
    }
}
