using System.Globalization;
using System.Text.Json.Nodes;
using CellVision.Core.Annotations;
using CellVision.Detection;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;

namespace CellVision.Distributed.Operations;

/// <summary>
/// ELEPHANT nucleus detection of a movie as a job: each task predicts the nuclei of a range of timepoints with a saved
/// detector and writes them, one file per timepoint, under the output folder; the final step runs the suppression and
/// merge (<see cref="SpotSuppressor.Apply"/>) once, timepoint by timepoint in order, and writes the spots file — the
/// same file <see cref="NucleusDetector.Detect"/> followed by <see cref="LineageFiles.Write"/> gives in one process.
/// </summary>
public sealed class NucleusDetectionOperation : IJobOperation
{
    /// <summary>The name plans use.</summary>
    public const string OperationName = "nucleus-detection";

    /// <summary>The spots file the final step writes inside the output folder when the plan names none.</summary>
    public const string SpotsFileName = "nuclei.csv";

    /// <inheritdoc/>
    public string Name => OperationName;

    /// <summary>Plans the detection of every timepoint of <paramref name="movie"/> into the folder <paramref name="output"/>.</summary>
    /// <param name="movie">The movie (any format <see cref="MovieFiles"/> reads).</param>
    /// <param name="model">The detector's weights (<see cref="NucleusDetector.SaveWeights"/>).</param>
    /// <param name="output">The folder to create; the spots end in <see cref="SpotsFileName"/> inside it.</param>
    /// <param name="options">Prediction, spot extraction and suppression options (training options are ignored); null for the defaults.</param>
    /// <param name="timepointsPerTask">Timepoints per task (at least 1).</param>
    /// <param name="spotsFile">The .csv (lineage table) or .xml (TrackMate) file the final step writes; null for <see cref="SpotsFileName"/> inside the output folder.</param>
    /// <exception cref="JobPlanException">The movie or the model is missing.</exception>
    public static JobPlan CreatePlan(string movie, string model, string output, NucleusDetectorOptions? options = null, int timepointsPerTask = 1, string? spotsFile = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timepointsPerTask, 1);
        options ??= new NucleusDetectorOptions();
        var count = ReadMovie(Path.GetFullPath(movie), CancellationToken.None, out var frames);
        frames.ForEach(f => f.Dispose());
        var tasks = new List<JobTask>();
        for (var t = 0; t < count; t += timepointsPerTask)
        {
            tasks.Add(JobTask.ForTimepoints(t, Math.Min(timepointsPerTask, count - t)));
        }

        var patch = options.Prediction.PatchSize;
        return new JobPlan
        {
            JobId = JobPlan.NewJobId(),
            Operation = OperationName,
            Options = new JsonObject
            {
                ["model"] = Path.GetFullPath(model),
                ["spotsFile"] = Path.GetFullPath(spotsFile ?? Path.Combine(output, SpotsFileName)),
                ["timepoints"] = count,
                ["patchSize"] = new JsonArray(patch.Depth, patch.Height, patch.Width),
                ["medianCorrection"] = options.Prediction.SliceWiseMedianCorrection,
                ["flips"] = options.Prediction.AverageOverFlips,
                ["threshold"] = options.SpotExtraction.ProbabilityThreshold,
                ["minimumRadius"] = options.SpotExtraction.MinimumRadius,
                ["maximumRadius"] = options.SpotExtraction.MaximumRadius,
                ["suppressionDistance"] = options.Suppression.SuppressionDistance,
            },
            Inputs = [Path.GetFullPath(movie), Path.GetFullPath(model)],
            Outputs = [Path.GetFullPath(output)],
            Tasks = tasks,
        };
    }

    /// <summary>The detector options stored in <paramref name="plan"/>.</summary>
    /// <param name="plan">A plan of this operation.</param>
    public static NucleusDetectorOptions ReadOptions(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = plan.Options;
        var defaults = new NucleusDetectorOptions();
        var patch = o["patchSize"] as JsonArray;
        return defaults with
        {
            Prediction = defaults.Prediction with
            {
                PatchSize = patch is { Count: 3 } ? ((int)patch[0]!, (int)patch[1]!, (int)patch[2]!) : defaults.Prediction.PatchSize,
                SliceWiseMedianCorrection = (bool?)o["medianCorrection"] ?? false,
                AverageOverFlips = (bool?)o["flips"] ?? false,
            },
            SpotExtraction = defaults.SpotExtraction with
            {
                ProbabilityThreshold = (double?)o["threshold"] ?? defaults.SpotExtraction.ProbabilityThreshold,
                MinimumRadius = (double?)o["minimumRadius"] ?? defaults.SpotExtraction.MinimumRadius,
                MaximumRadius = (double?)o["maximumRadius"] ?? defaults.SpotExtraction.MaximumRadius,
            },
            Suppression = defaults.Suppression with { SuppressionDistance = (double?)o["suppressionDistance"] ?? defaults.Suppression.SuppressionDistance },
        };
    }

    /// <inheritdoc/>
    public void Validate(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Inputs.Count != 2 || plan.Outputs.Count != 1)
        {
            throw new JobPlanException($"{OperationName} takes a movie and a model as inputs and one output folder; the plan has {plan.Inputs.Count} inputs and {plan.Outputs.Count} outputs.");
        }

        var count = (int?)plan.Options["timepoints"] ?? throw new JobPlanException($"The {OperationName} plan lacks the option 'timepoints'.");
        foreach (var task in plan.Tasks)
        {
            if (task.IsBlock || task.FirstTimepoint + task.TimepointCount > count)
            {
                throw new JobPlanException($"Task {task} does not lie in the {count} timepoints of '{plan.Inputs[0]}'.");
            }
        }

        if (Path.GetExtension(SpotsFile(plan)).ToUpperInvariant() is not (".CSV" or ".XML"))
        {
            throw new JobPlanException($"The spots file '{SpotsFile(plan)}' must end in .csv (lineage table) or .xml (TrackMate).");
        }

        if (plan.Tasks.Sum(t => t.TimepointCount) != count)
        {
            throw new JobPlanException($"The tasks cover {plan.Tasks.Sum(t => t.TimepointCount)} of {count} timepoints; they must cover each once.");
        }
    }

    /// <inheritdoc/>
    public void Prepare(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Directory.CreateDirectory(SpotFolder(plan));
    }

    /// <inheritdoc/>
    public void RunTask(JobPlan plan, JobTask task, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(task);
        ReadMovie(plan.Inputs[0], cancellationToken, out var frames);
        try
        {
            using var detector = NucleusDetector.Load(plan.Inputs[1], ReadOptions(plan));
            for (var t = task.FirstTimepoint; t < task.FirstTimepoint + task.TimepointCount; t++)
            {
                var spots = detector.DetectFrame(frames[t], cancellationToken: cancellationToken);
                var json = new JsonArray([.. spots.Select(s => (JsonNode)new JsonObject
                {
                    ["x"] = s.X, ["y"] = s.Y, ["z"] = s.Z, ["quality"] = s.Quality,
                    ["covariance"] = new JsonArray([.. s.Covariance.Select(c => (JsonNode)c)]),
                })]);
                AtomicFile.WriteText(SpotFile(plan, t), json.ToJsonString());
                progress?.Report((double)(t - task.FirstTimepoint + 1) / task.TimepointCount);
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    /// <inheritdoc/>
    public void Complete(JobPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var count = ReadMovie(plan.Inputs[0], cancellationToken, out var frames);
        try
        {
            var suppression = ReadOptions(plan).Suppression;
            var graph = new LineageGraph();
            for (var t = 0; t < count; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var spots = (JsonNode.Parse(File.ReadAllText(SpotFile(plan, t))) as JsonArray ?? []).Select(s => new DetectedSpot(
                    (double)s!["x"]!, (double)s["y"]!, (double)s["z"]!, [.. ((JsonArray)s["covariance"]!).Select(c => (double)c!)], (double)s["quality"]!));
                SpotSuppressor.Apply(graph, t, spots, suppression);
            }

            LineageFiles.Write(graph, SpotsFile(plan), frames[0], count, Path.GetFileName(plan.Inputs[0]));
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    /// <summary>The spots file the final step writes for <paramref name="plan"/>.</summary>
    /// <param name="plan">A plan of this operation.</param>
    public static string SpotsFile(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return (string?)plan.Options["spotsFile"] ?? Path.Combine(plan.Outputs[0], SpotsFileName);
    }

    private static string SpotFolder(JobPlan plan) => Path.Combine(plan.Outputs[0], "spots");

    private static string SpotFile(JobPlan plan, int timepoint) => Path.Combine(SpotFolder(plan), string.Create(CultureInfo.InvariantCulture, $"t{timepoint:D5}.json"));

    /// <summary>Reads every timepoint (the movie formats read whole movies); returns the count.</summary>
    private static int ReadMovie(string path, CancellationToken cancellationToken, out List<Core.Volumes.Volume<ushort>> frames)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new JobPlanException($"The movie '{path}' does not exist.");
        }

        frames = MovieFiles.Read(path, MovieFiles.Guess(path, forWriting: false), cancellationToken);
        return frames.Count;
    }
}
