using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Synthetic;
using CellVision.Evaluation;
using CellVision.IO.Ctc;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;

namespace CellVision.Cli.Demo;

/// <summary>
/// The end-to-end demo: make a synthetic movie, write it as BDV, Zarr and CTC ground truth, train the detector from a
/// few annotated nuclei, detect every timepoint, link, export and score, and write the report.
/// </summary>
internal sealed class DemoPipeline(DemoOptions options, IDemoObserver observer)
{
    private readonly List<(string Step, double Seconds)> timings = [];

    internal DemoResult Run(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var context = new CellVisionContext(options.Seed);
        var folder = Directory.CreateDirectory(options.OutputFolder).FullName;

        using var movie = Step("Generate the movie", 0, () => SyntheticTimeLapse.Generate(options.Movie, cancellationToken),
            m => $"{m.Truth.SpotCount} nuclei, {m.Truth.Spots.Count(s => s.Outgoing.Count > 1)} divisions, {m.Images.Count} timepoints");
        Step("Write BDV, Zarr and CTC ground truth", 0, () => DemoData.Write(movie, folder, cancellationToken),
            paths => $"{Path.GetRelativePath(folder, paths.Bdv)}, {Path.GetRelativePath(folder, paths.Zarr)}, {Path.GetRelativePath(folder, paths.GroundTruth)}");

        using var detector = new DemoDetector(options, movie);
        var losses = Step("Train the detector", options.EffectiveEpochs, () => detector.Train(movie,
                null,
                (epoch, loss) => observer.StepAdvanced(epoch, string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} loss {loss:F4}")),
                cancellationToken),
            l => string.Create(CultureInfo.InvariantCulture, $"loss {l[0]:F4} → {l[^1]:F4}"));
        var detections = Step("Detect nuclei in every timepoint", movie.Images.Count,
            () => detector.Detect(movie, new Progress<int>(done => observer.StepAdvanced(done)), cancellationToken),
            g => $"{g.SpotCount} nuclei");

        LineageCsv.Write(detections, Path.Combine(folder, "detections.csv"));
        // What a user needs to repeat the detection from the shell: the annotations and the trained weights.
        LineageCsv.Write(detector.Annotations, Path.Combine(folder, "annotations.csv"));
        detector.SaveWeights(Path.Combine(folder, "detector.pth"));
        LineageCsv.Write(movie.Truth, Path.Combine(folder, "data", "truth.csv"), Path.Combine(folder, "data", "truth-links.csv"));
        var matching = CentreMatching.Of(detections, movie.Masks);
        var scores = new List<(string, double, string)>
        {
            ("detection precision", matching.Precision, "detected centres inside a true nucleus / all detections"),
            ("detection recall", matching.Recall, "true nuclei with a detected centre / all true nuclei"),
            ("detection F1", matching.F1, "harmonic mean of the two"),
        };

        using var tracker = new DemoTracker(options, context);
        var flowLosses = Step("Train the flow model on approved links", options.EffectiveFlowEpochs, () => tracker.TrainFlow(movie,
                (epoch, loss) => observer.StepAdvanced(epoch, string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} loss {loss:F4}")),
                cancellationToken),
            l => string.Create(CultureInfo.InvariantCulture, $"loss {l[0]:F4} → {l[^1]:F4}"));
        var plain = Step("Link nearest neighbours", 0, () => tracker.Link(detections, movie, withFlow: false, cancellationToken), g => $"{g.LinkCount} links");
        var tracks = Step("Link nearest neighbours with flow", 0, () => tracker.Link(detections, movie, withFlow: true, cancellationToken), g => $"{g.LinkCount} links");

        LineageCsv.Write(tracks, Path.Combine(folder, "tracks.csv"), Path.Combine(folder, "tracks-links.csv"));
        var groundTruth = Path.Combine(folder, "ctc", "01_GT");
        foreach (var (graph, name, label) in new[] { (tracks, "01_RES", "with flow"), (plain, "02_RES", "without flow") })
        {
            var evaluation = Step($"Export and score the tracks {label} (CTC)", 0, () =>
            {
                var shape = (movie.Images[0].Depth, movie.Images[0].Height, movie.Images[0].Width);
                CtcExporter.Export(graph, Path.Combine(folder, "ctc", name), new CtcExportOptions { VoxelSize = movie.Images[0].VoxelSize, Shape = shape, LastFrame = movie.Images.Count - 1 }, cancellationToken: cancellationToken);
                return CtcEvaluator.Evaluate(groundTruth, Path.Combine(folder, "ctc", name), new CtcEvaluationOptions { Segmentation = false }, cancellationToken: cancellationToken);
            }, e => string.Create(CultureInfo.InvariantCulture, $"DET {e.Scores.Det:F4}, TRA {e.Scores.Tra:F4}"));
            scores.Add(($"DET ({label})", evaluation.Scores.Det ?? 0, $"CTC detection measure of ctc/{name} against ctc/01_GT"));
            scores.Add(($"TRA ({label})", evaluation.Scores.Tra ?? 0, $"CTC tracking measure (AOGM) of ctc/{name}"));
            scores.Add(($"LNK ({label})", evaluation.Scores.Lnk ?? 0, $"CTC linking measure of ctc/{name}"));
        }

        var report = Step("Write the report", 0,
            () => DemoReport.Write(folder, movie, tracks, losses, flowLosses, scores, timings, options),
            path => Path.GetRelativePath(folder, path));
        return new DemoResult { ReportPath = report, Losses = losses, FlowLosses = flowLosses, Tracks = tracks, Scores = scores, Elapsed = total.Elapsed };
    }

    private T Step<T>(string name, int units, Func<T> work, Func<T, string> summary)
    {
        observer.StepStarted(name, units);
        var clock = Stopwatch.StartNew();
        var result = work();
        timings.Add((name, clock.Elapsed.TotalSeconds));
        observer.StepFinished(name, clock.Elapsed.TotalSeconds, summary(result));
        return result;
    }
}
