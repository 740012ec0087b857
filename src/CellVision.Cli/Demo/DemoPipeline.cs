using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Synthetic;
using CellVision.Torch;

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
        TorchRuntime.ManualSeed((ulong)options.Seed);
        var folder = Directory.CreateDirectory(options.OutputFolder).FullName;

        using var movie = Step("Generate the movie", 0, () => SyntheticTimeLapse.Generate(options.Movie, cancellationToken),
            m => $"{m.Truth.SpotCount} nuclei, {m.Truth.Spots.Count(s => s.Outgoing.Count > 1)} divisions, {m.Images.Count} timepoints");
        Step("Write BDV, Zarr and CTC ground truth", 0, () => DemoData.Write(movie, folder, cancellationToken),
            paths => $"{Path.GetRelativePath(folder, paths.Bdv)}, {Path.GetRelativePath(folder, paths.Zarr)}, {Path.GetRelativePath(folder, paths.GroundTruth)}");

        using var detector = new DemoDetector(options);
        var losses = Step("Train the detector", options.EffectiveEpochs, () => detector.Train(movie,
                null,
                (epoch, loss) => observer.StepAdvanced(epoch, string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} loss {loss:F4}")),
                cancellationToken),
            l => string.Create(CultureInfo.InvariantCulture, $"loss {l[0]:F4} → {l[^1]:F4}"));
        var detections = Step("Detect nuclei in every timepoint", movie.Images.Count,
            () => detector.Detect(movie, new Progress<int>(done => observer.StepAdvanced(done)), cancellationToken),
            g => $"{g.SpotCount} nuclei");

        var matching = CentreMatching.Of(detections, movie.Masks);
        var scores = new List<(string, double, string)>
        {
            ("detection precision", matching.Precision, "detected centres inside a true nucleus / all detections"),
            ("detection recall", matching.Recall, "true nuclei with a detected centre / all true nuclei"),
            ("detection F1", matching.F1, "harmonic mean of the two"),
        };

        var tracks = detections;
        var report = Step("Write the report", 0,
            () => DemoReport.Write(folder, movie, tracks, losses, scores, timings, options),
            path => Path.GetRelativePath(folder, path));
        return new DemoResult { ReportPath = report, Losses = losses, Tracks = tracks, Scores = scores, Elapsed = total.Elapsed };
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
