using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Tiff;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// ELEPHANT's incremental loop with a simulated proofreader: a few nuclei annotated from their masks, a first
/// training, then rounds of predict → proofread (<see cref="ProofreadingSimulator"/>) → retrain, all through
/// <see cref="NucleusDetector"/> as a user runs it. After each prediction it scores the model's nuclei (F1 over all
/// instances and over those holding at least half the median instance's voxels) and the annotations the user then
/// holds, and times the round. Options: <c>detection-loop --help</c> (<see cref="Commands.DetectionLoopCommand"/>).
/// </summary>
internal static class DetectionLoop
{
    internal static int Run(DetectionLoopSettings settings)
    {
        TorchRuntime.ThreadCount = settings.Threads;
        TorchRuntime.ManualSeed((ulong)settings.Seed);
        var (frames, masks, annotations, disposeMovie) = settings.Data == "plantseg" ? PlantSeg(settings) : Demo(settings);
        var scratch = Directory.CreateTempSubdirectory("cellvision-loop-");
        try
        {
            var weights = Path.Combine(scratch.FullName, "weights.pth");
            var rows = Loop(settings, frames, masks, annotations, weights);
            if (settings.LiveUpdates > 0)
            {
                LiveLatency(settings, frames[0], annotations, weights);
            }

            if (settings.Csv is { } csv)
            {
                DetectionLoopReport.Write(csv, settings, rows);
                Console.WriteLine($"table: {csv}; figure: {Path.ChangeExtension(csv, ".svg")}");
            }

            return 0;
        }
        finally
        {
            disposeMovie();
            scratch.Delete(recursive: true);
        }
    }

    private static List<DetectionLoopRound> Loop(DetectionLoopSettings settings, IReadOnlyList<Volume<ushort>> frames, IReadOnlyList<Volume<ushort>> masks, LineageGraph graph, string weights)
    {
        var options = Options(settings, frames[0]);
        // A careful user leaves the pieces of nuclei whose centre lies outside the view (less than the visible fraction of
        // the median instance): their centre is not in the image, so a centre label there contradicts every whole nucleus.
        var simulators = masks.Select((m, t) =>
        {
            var sizes = TruthNuclei.FromMask(m).Select(n => n.Voxels).Order().ToArray();
            var visible = (long)Math.Ceiling(settings.VisibleFraction * sizes[sizes.Length / 2]);
            return new ProofreadingSimulator(settings.Proofreading with { MinimumVisibleVoxels = visible, Seed = settings.Proofreading.Seed + t });
        }).ToArray();
        // "At least half in view": a piece holding at least half the median instance's voxels of its frame.
        var halfSizes = masks.Select(m => TruthNuclei.FromMask(m).Select(n => n.Voxels).Order().ToArray()).Select(s => (s[s.Length / 2] + 1) / 2).ToArray();
        Console.WriteLine($"{settings.Data}: {frames.Count} frame(s), {masks.Sum(m => TruthNuclei.FromMask(m).Count)} instances, {graph.SpotCount} annotated; half-in-view sizes {string.Join(',', halfSizes)} voxels");
        var rows = new List<DetectionLoopRound>();
        var detector = new NucleusDetector(Retraining(options, settings.InitialEpochs, settings.Seed));
        try
        {
            var clock = Stopwatch.StartNew();
            if (settings.Initial is { } initial && File.Exists(initial))
            {
                // The first training is the same for every setting of the rounds: reuse its weights.
                detector.LoadWeights(initial);
                Console.WriteLine($"first training loaded from {initial}");
            }
            else
            {
                detector.Train(frames, graph);
                if (settings.Initial is { } path)
                {
                    detector.SaveWeights(path);
                }
            }

            var trainSeconds = clock.Elapsed.TotalSeconds;
            var corrections = new ProofreadingCorrections(0, 0, 0, 0, 0);
            for (var round = 0; ; round++)
            {
                clock.Restart();
                var model = new List<(DetectionScore All, DetectionScore Half)>();
                var missed = new List<TruthNucleus>();
                for (var t = 0; t < frames.Count; t++)
                {
                    var nuclei = detector.DetectFrame(frames[t]);
                    model.Add((NucleusMatching.Score(nuclei, masks[t], 0), NucleusMatching.Score(nuclei, masks[t], halfSizes[t])));
                    var found = nuclei.Select(n => NucleusMatching.LabelAt(masks[t], n.X, n.Y, n.Z)).ToHashSet();
                    missed.AddRange(TruthNuclei.FromMask(masks[t]).Where(n => !found.Contains(n.Label)));
                    SpotSuppressor.Apply(graph, t, nuclei, options.Suppression);
                }

                var predictSeconds = clock.Elapsed.TotalSeconds;
                if (HeldOut is var (heldFrame, heldMask))
                {
                    var unseen = detector.DetectFrame(heldFrame);
                    var sizes = TruthNuclei.FromMask(heldMask).Select(n => n.Voxels).Order().ToArray();
                    var (all, half) = (NucleusMatching.Score(unseen, heldMask, 0), NucleusMatching.Score(unseen, heldMask, (sizes[sizes.Length / 2] + 1) / 2));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  held-out half: F1 all {all.F1:F3} ({all.Hits}/{all.Instances}, {all.Detections} det), half-in-view {half.F1:F3} ({half.Hits}/{half.Instances}, {half.Detections} det)"));
                }
                Console.WriteLine($"  missed by the model: {string.Join(' ', missed.Select(m => $"{m.Voxels}{(m.TouchesFace ? "f" : "")}@{m.X:F0},{m.Y:F0},{m.Z:F0}"))} (voxels in view, f: touches a face, @ centroid x,y,z in µm)");
                var held = Sum(Enumerable.Range(0, frames.Count).Select(t => NucleusMatching.Score(graph.SpotsAt(t).Where(IsNucleus), masks[t], 0)));
                var row = new DetectionLoopRound(round, Sum(model.Select(m => m.All)), Sum(model.Select(m => m.Half)), held, corrections, trainSeconds, predictSeconds);
                rows.Add(row);
                Console.WriteLine(row.Describe());
                if (round == settings.Rounds)
                {
                    detector.SaveWeights(weights);
                    return rows;
                }

                clock.Restart();
                corrections = Enumerable.Range(0, frames.Count).Select(t => simulators[t].Correct(graph, t, masks[t]))
                    .Aggregate((a, b) => new ProofreadingCorrections(a.FalsePositivesTagged + b.FalsePositivesTagged, a.MissedAdded + b.MissedAdded, a.Approved + b.Approved, a.FalsePositivesLeft + b.FalsePositivesLeft, a.MissedLeft + b.MissedLeft));
                // Retraining continues from the current weights for a few epochs, with a new crop seed each round.
                detector.SaveWeights(weights);
                detector.Dispose();
                var retraining = Retraining(options, settings.RoundEpochs, settings.Seed + round + 1);
                detector = new NucleusDetector(retraining with { Training = retraining.Training with { LearningRate = settings.RoundLearningRate ?? settings.LearningRate } });
                detector.LoadWeights(weights);
                detector.Train(frames, graph);
                trainSeconds = clock.Elapsed.TotalSeconds;
            }
        }
        finally
        {
            detector.Dispose();
        }
    }

    /// <summary>
    /// ELEPHANT's live mode on the loop's final model: each label update of the first frame queues one epoch, and the
    /// time from the update to the "model updated" event is printed (labels painted before the clock starts, as the
    /// server paints them when the client's update arrives).
    /// </summary>
    private static void LiveLatency(DetectionLoopSettings settings, Volume<ushort> raw, LineageGraph graph, string weights)
    {
        var options = Options(settings, raw);
        using var frame = Normalization.MinMaxToUnit(raw);
        using var labels = LabelGenerator.Generate((frame.Depth, frame.Height, frame.Width), frame.VoxelSize, graph.TrainingAnnotations(0), options.Labels, frame);
        var keepAxials = KeepAxials.FromVoxelSize(frame.VoxelSize);
        using var model = DetectionUNet.LoadEnsemble(weights)[0];
        using var trainer = new DetectionTrainer(model, keepAxials, options.Training with { Seed = settings.Seed });
        using var updated = new SemaphoreSlim(0);
        trainer.ModelUpdated += (_, _) => updated.Release();
        using var live = new LiveDetectionTrainer(trainer);
        var latencies = new List<double>();
        for (var i = 0; i < settings.LiveUpdates; i++)
        {
            var clock = Stopwatch.StartNew();
            live.UpdateLabels(new TrainingFrame(frame, labels));
            updated.Wait();
            latencies.Add(clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"live mode: label update -> model updated in {string.Join(", ", latencies.Select(l => l.ToString("F1", CultureInfo.InvariantCulture)))} s ({options.Training.CropsPerTimepoint} crops of {string.Join('x', settings.Crop)} per epoch, {settings.Threads} threads)"));
    }

    /// <summary>With <see cref="DetectionLoopSettings.Split"/>: the half of the ovule crop the loop never sees.</summary>
    private static (Volume<ushort> Frame, Volume<ushort> Mask)? HeldOut { get; set; }

    private static bool IsNucleus(Spot spot) => spot.DetectionTag is DetectionTag.Unlabeled or DetectionTag.TruePositive or DetectionTag.FalseNegative;

    private static DetectionScore Sum(IEnumerable<DetectionScore> scores) =>
        scores.Aggregate(new DetectionScore(0, 0, 0), (a, b) => new DetectionScore(a.Detections + b.Detections, a.Instances + b.Instances, a.Hits + b.Hits));

    private static NucleusDetectorOptions Retraining(NucleusDetectorOptions options, int epochs, int seed) =>
        options with { Training = options.Training with { Epochs = epochs, Seed = seed } };

    private static NucleusDetectorOptions Options(DetectionLoopSettings settings, Volume<ushort> first)
    {
        // Voxels darker than the 40th percentile become background labels, as in the one-shot PlantSeg check.
        using var frame = Normalization.MinMaxToUnit(first);
        var sorted = frame.Span.ToArray();
        Array.Sort(sorted);
        return new NucleusDetectorOptions
        {
            Prediction = new PredictionOptions { AverageOverFlips = settings.Flips, MitigateEdgeDiscontinuities = settings.Pad },
            SpotExtraction = new SpotExtractionOptions { MinimumRadius = settings.MinimumRadius, ProbabilityThreshold = settings.Threshold },
            Suppression = new SuppressionOptions { SuppressionDistance = settings.Suppression },
            Training = new DetectionTrainingOptions
            {
                CropSize = (Math.Min(settings.Crop[0], first.Depth), Math.Min(settings.Crop[1], first.Height), Math.Min(settings.Crop[2], first.Width)),
                CropsPerTimepoint = settings.Crops, LearningRate = settings.LearningRate,
                Loss = new DetectionLossOptions { FalseWeight = settings.FalseWeight },
                ScaleAugmentation = settings.Scale, ContrastAugmentation = settings.Contrast,
            },
            Labels = new LabelOptions { AutoBackgroundThreshold = Normalization.Percentile(sorted, 40) },
        };
    }

    private static (IReadOnlyList<Volume<ushort>>, IReadOnlyList<Volume<ushort>>, LineageGraph, Action) PlantSeg(DetectionLoopSettings settings)
    {
        var voxel = new VoxelSize(0.12678642, 0.12678642, 0.28371837);
        using var raw = TiffFile.Open(Path.Combine(settings.PlantSegFolder, "1135_mini_raw_zyx.tif")).ReadStack<byte>();
        var instances = TiffFile.Open(Path.Combine(settings.PlantSegFolder, "1135_mini_label_zyx_uint16.tif")).ReadStack<ushort>();
        instances.VoxelSize = voxel;
        var frame = new Volume<ushort>(raw.Depth, raw.Height, raw.Width, voxel);
        for (var i = 0; i < raw.Length; i++)
        {
            frame.Span[i] = raw.Span[i];
        }

        if (settings.Split)
        {
            // Generalisation without a second volume: the loop sees z < D/2 only; z >= D/2 is scored, never corrected.
            var half = frame.Depth / 2;
            var (top, bottom) = (Box.FromZyx(0, 0, 0, half, frame.Height, frame.Width), Box.FromZyx(half, 0, 0, frame.Depth - half, frame.Height, frame.Width));
            var (seenFrame, seenMask) = (frame.Crop(top), instances.Crop(top));
            var (heldFrame, heldMask) = (frame.Crop(bottom), instances.Crop(bottom));
            frame.Dispose();
            instances.Dispose();
            (frame, instances) = (seenFrame, seenMask);
            HeldOut = (heldFrame, heldMask);
        }

        // The nuclei a user annotates first are whole ones: drawn among the instances of at least the median size.
        var truth = TruthNuclei.FromMask(instances);
        var median = truth.Select(n => n.Voxels).Order().ElementAt(truth.Count / 2);
        var annotations = new LineageGraph();
        foreach (var n in truth.Where(n => n.Voxels >= median).OrderBy(n => n.Label * 7919 % 104729).Take(settings.Nuclei))
        {
            annotations.AddSpot(0, n.X, n.Y, n.Z, n.Covariance).DetectionTag = DetectionTag.TruePositive;
        }

        return ([frame], [instances], annotations, () =>
        {
            frame.Dispose();
            instances.Dispose();
            HeldOut?.Frame.Dispose();
            HeldOut?.Mask.Dispose();
        });
    }

    private static (IReadOnlyList<Volume<ushort>>, IReadOnlyList<Volume<ushort>>, LineageGraph, Action) Demo(DetectionLoopSettings settings)
    {
        // The demo's movie (cellvision demo): 10 timepoints of 24 × 96 × 96 voxels, 0.5 × 0.5 × 1 µm.
        var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 10, Depth = 24, Height = 96, Width = 96, VoxelSize = new(0.5, 0.5, 1.0), InitialNuclei = 10, Seed = 1 });
        foreach (var mask in movie.Masks)
        {
            mask.VoxelSize = movie.Images[0].VoxelSize;
        }

        // As the demo: the first nuclei fully inside the first frame, tagged tp.
        var image = movie.Images[0];
        var size = image.VoxelSize;
        var annotations = new LineageGraph();
        foreach (var s in movie.Truth.SpotsAt(0).Where(s => s.X > 4 && s.Y > 4 && s.X < (image.Width * size.X) - 4 && s.Y < (image.Height * size.Y) - 4).Take(settings.Nuclei))
        {
            annotations.AddSpot(0, s.X, s.Y, s.Z, s.Covariance).DetectionTag = DetectionTag.TruePositive;
        }

        return (movie.Images, movie.Masks, annotations, movie.Dispose);
    }
}
