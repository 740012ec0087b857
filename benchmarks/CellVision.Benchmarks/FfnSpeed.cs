using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.Segmentation;
using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Benchmarks;

/// <summary>The settings of <c>compare-ffn</c>.</summary>
internal sealed record FfnSpeedSettings
{
    /// <summary>The FIB-25 medulla folder (derived/raw_zyx_uint8.tif, derived/gt_bodies_zyx_uint16.tif).</summary>
    public required string Data { get; init; }

    /// <summary>Weights saved by <see cref="FloodFillNetwork.Save"/>, or null for a fresh seeded network of <see cref="FreshNetwork"/>'s shape.</summary>
    public string? Model { get; init; }

    /// <summary>benchmarks/compare/ffn.py, or "none".</summary>
    public required string Reference { get; init; }

    public int Rounds { get; init; } = 3;

    public int Threads { get; init; } = 2;

    public int Seed { get; init; } = 1;

    public (int Z, int Y, int X) BlockStart { get; init; } = (150, 75, 75);

    public (int Z, int Y, int X) BlockSize { get; init; } = (100, 100, 100);

    public required FloodFillInferenceOptions Inference { get; init; }

    public int BatchSize { get; init; } = 4;

    /// <summary>Timed training steps per round; 0 skips training.</summary>
    public int TrainSteps { get; init; } = 10;

    public double LearningRate { get; init; } = 0.001;

    public double Clip { get; init; } = 0.7;

    public required FloodFillNetworkOptions FreshNetwork { get; init; }

    /// <summary>Added to the fresh network's <c>conv_lom</c> bias, so that an untrained network's mask spreads and the field of view moves.</summary>
    public double FreshLomBias { get; init; }

    /// <summary>CellVision only: segment the whole volume once and report its time and peak memory.</summary>
    public bool WholeVolume { get; init; }
}

/// <summary>
/// <c>compare-ffn</c>: flood-filling network inference and training steps in CellVision and in benchmarks/compare/ffn.py
/// (the plain-Python transcriptions the tests use: the NumPy/SciPy canvas of ffn_canvas_golden.py driving a PyTorch
/// forward of ConvStack3D at batch 1, and ffn_model_golden.py's clipped SGD step), with the same libtorch thread count
/// and the same weights (--model, or a fresh seeded network written to a temporary .pth that both load).
/// </summary>
/// <remarks>
/// Inference: a block of FIB-25 (default z, y, x 150, 75, 75, 100³) is segmented by <see cref="FloodFillSegmenter.Segment"/>
/// and by the transcription with the same options; steps are network calls. Both sides warm the network up with three
/// untimed calls first. <c>seeds_s</c> is the normalisation and the seed policy (in CellVision: until the first network
/// call), <c>network_s</c> the time inside the network calls, <c>canvas_overhead</c> the rest of the canvas per step.
/// Training: --train-steps steps of batch --batch-size on identical random inputs (FIB-25 windows, random mask logits,
/// soft labels), after one untimed step; CellVision runs its internal training step (forward, mean sigmoid cross-entropy,
/// backward, clipping, SGD) in a loop, and, for its own numbers only, <see cref="FloodFillTrainer.Train"/> on planes 0–149
/// with seeded coordinates. Each round runs the reference once per measure (a fresh process, whose peak resident set
/// is its memory figure) and CellVision once; medians over the rounds are compared.
/// </remarks>
internal static class FfnSpeed
{
    private const double InferenceGoal = 2.0;
    private const double TrainingGoal = 1.0;

    internal static int Run(FfnSpeedSettings settings)
    {
        TorchRuntime.ThreadCount = settings.Threads;
        var haveReference = settings.Reference != "none" && File.Exists(settings.Reference);
        if (!haveReference && settings.Reference != "none" && !settings.WholeVolume)
        {
            Console.WriteLine($"reference {settings.Reference} not found (give --reference PATH, or --reference none): printing CellVision's numbers only");
        }

        var rawPath = Path.Combine(settings.Data, "derived", "raw_zyx_uint8.tif");
        using var raw = ReadTiff<byte>(rawPath);
        using var temporary = new TemporaryFiles();
        var weights = settings.Model;
        if (weights is null)
        {
            weights = temporary.Name("weights.pth");
            using var fresh = TorchRuntime.Seeded(unchecked((ulong)settings.Seed), () => new FloodFillNetwork(settings.FreshNetwork));
            using (GradientMode.NoGrad())
            {
                fresh.NamedParameters().Single(p => p.Name == "conv_lom.bias").Parameter.AddInPlace(settings.FreshLomBias);
            }

            fresh.Save(weights);
        }

        using var network = FloodFillNetwork.Load(weights);
        var shape = network.Options;
        var parameterCount = network.Parameters().Sum(p => p.ElementCount);
        Console.WriteLine(FormattableString.Invariant(
            $"network {(settings.Model ?? $"fresh (seed {settings.Seed}, conv_lom bias {settings.FreshLomBias})")}: depth {shape.Depth}, {shape.Features} features, field of view {Zyx(shape.FieldOfView)}, deltas {Zyx(shape.Deltas)}, {parameterCount} parameters; libtorch threads {TorchRuntime.ThreadCount}, {Environment.ProcessorCount} cores"));

        if (settings.WholeVolume)
        {
            return WholeVolume(raw, network, settings);
        }

        var (start, size) = (settings.BlockStart, settings.BlockSize);
        if (start.Z + size.Z > raw.Depth || start.Y + size.Y > raw.Height || start.X + size.X > raw.Width)
        {
            throw new ArgumentException($"The block {Zyx(start)} + {Zyx(size)} leaves the {raw.Depth}×{raw.Height}×{raw.Width} volume.", nameof(settings));
        }

        using var block = raw.Crop(Box.FromZyx(start.Z, start.Y, start.X, size.Z, size.Y, size.X));
        Console.WriteLine(FormattableString.Invariant($"block z,y,x {Zyx(start)} size {Zyx(size)} ({block.Length} voxels) of {rawPath}"));

        var ours = new Dictionary<string, List<double>>();
        var theirs = new Dictionary<string, List<double>>();
        WarmUp(network);
        WarmUpCanvas(block, network, settings.Inference);
        var before = CurrentProcessMemory();
        string? referenceSegmentLine = null;
        string? cellVisionSegmentLine = null;
        string? labelsComparison = null;
        var stepsPerSeed = 0.0;
        var labelsPath = temporary.Name("reference-labels.u32");
        for (var round = 0; round < settings.Rounds; round++)
        {
            Dictionary<string, string>? reference = null;
            if (haveReference)
            {
                referenceSegmentLine = RunPython(settings, SegmentArguments(settings, rawPath, weights, labelsPath), "reference_ffn_segment ");
                reference = Pairs(referenceSegmentLine);
                AddSegmentMeasures(theirs, Number(reference, "total_s"), Number(reference, "seeds_s"), Number(reference, "network_s"), Number(reference, "steps"));
                Add(theirs, "peak_memory_mib", Number(reference, "max_rss_mib"));
            }

            var timed = new TimedNetwork(network);
            var clock = Stopwatch.StartNew();
            using var result = FloodFillSegmenter.Segment(block, timed, settings.Inference);
            var total = clock.Elapsed.TotalSeconds;
            var seeds = timed.FirstCall?.TotalSeconds ?? total;
            AddSegmentMeasures(ours, total, seeds, timed.Seconds, result.Steps);
            stepsPerSeed = result.Attempts.Count == 0 ? 0 : (double)result.Steps / result.Attempts.Count;
            var labelled = result.Segmentation.Length - result.Segmentation.Span.Count(0u);
            cellVisionSegmentLine = FormattableString.Invariant(
                $"cellvision_ffn_segment threads={TorchRuntime.ThreadCount} block={Zyx(size)} seeds={result.Attempts.Count} steps={result.Steps} network_calls={timed.Calls} objects={result.Segments.Count} labelled_voxels={labelled} seeds_s={seeds:F4} canvas_s={total - seeds:F4} network_s={timed.Seconds:F4} total_s={total:F4}");
            if (reference is not null)
            {
                labelsComparison = CompareLabels(result, labelsPath, reference);
            }
        }

        var peak = PeakMemory();
        Add(ours, "peak_memory_mib", peak);
        Console.WriteLine(cellVisionSegmentLine + FormattableString.Invariant($" before_segmenting_mib={before:F1} peak_working_set_mib={peak:F1}"));
        if (stepsPerSeed <= 1)
        {
            Console.WriteLine("note: at most one step per seed, so the field of view never moved and no mask grew; that measures the network and the seed policy only. Give a trained --model (or, for the fresh network, --lom-bias) for realistic walks.");
        }

        if (referenceSegmentLine is not null)
        {
            Console.WriteLine(referenceSegmentLine);
            Console.WriteLine(labelsComparison);
        }

        string? referenceTrainLine = null;
        string? cellVisionTrainLine = null;
        if (settings.TrainSteps > 0)
        {
            var inputsPath = temporary.Name("train-inputs.f32");
            var inputs = TrainingInputs(raw, network, settings);
            using (var file = File.Create(inputsPath))
            {
                file.Write(MemoryMarshal.AsBytes(inputs.AsSpan()));
            }

            var (trainingImage, trainingLabels) = TrainingVolume(raw, settings.Data);
            using var disposeImage = trainingImage;
            using var disposeLabels = trainingLabels;
            var trainingVolume = new FloodFillTrainingVolume(trainingImage, trainingLabels);
            for (var round = 0; round < settings.Rounds; round++)
            {
                if (haveReference)
                {
                    referenceTrainLine = RunPython(settings, TrainArguments(settings, weights, inputsPath), "reference_ffn_train ");
                    var reference = Pairs(referenceTrainLine);
                    var seconds = Number(reference, "train_s");
                    Add(theirs, "train_s", seconds);
                }

                var (stepSeconds, firstLoss, lastLoss) = TrainSteps(weights, inputs, settings);
                Add(ours, "train_s", stepSeconds);
                cellVisionTrainLine = FormattableString.Invariant(
                    $"cellvision_ffn_train threads={TorchRuntime.ThreadCount} batch={settings.BatchSize} steps={settings.TrainSteps} first_loss={firstLoss:F6} last_loss={lastLoss:F6} train_s={stepSeconds:F4}");
                var trainerSeconds = TrainerCall(weights, trainingVolume, settings);
                Add(ours, "trainer_call_s", trainerSeconds);
            }

            Console.WriteLine(cellVisionTrainLine);
            if (referenceTrainLine is not null)
            {
                Console.WriteLine(referenceTrainLine);
            }
        }

        PrintTable(Summarise(ours, block.Length, settings.TrainSteps), Summarise(theirs, block.Length, settings.TrainSteps), settings.Rounds);
        return 0;
    }

    private static void AddSegmentMeasures(Dictionary<string, List<double>> times, double total, double seeds, double network, double steps)
    {
        Add(times, "segment_s", total);
        Add(times, "seeds_s", seeds);
        Add(times, "canvas_s", total - seeds);
        Add(times, "network_s", network);
        Add(times, "steps", steps);
    }

    /// <summary>
    /// Medians of the times and counts (the largest of the memory figures), and the rates derived from those medians:
    /// steps and voxels per second of the whole segmentation, milliseconds per step in the network and in the rest of
    /// the canvas, training steps per second.
    /// </summary>
    private static Dictionary<string, double> Summarise(Dictionary<string, List<double>> rounds, long voxels, int trainSteps)
    {
        var summary = rounds.ToDictionary(p => p.Key, p => p.Key.EndsWith("_mib", StringComparison.Ordinal) ? p.Value.Max() : KnnComparison.Median([.. p.Value]), StringComparer.Ordinal);
        if (summary.TryGetValue("segment_s", out var total))
        {
            var steps = summary["steps"];
            summary["steps_per_s"] = steps / total;
            summary["voxels_per_s"] = voxels / total;
            summary["network_ms_per_step"] = steps > 0 ? summary["network_s"] / steps * 1000 : double.NaN;
            summary["canvas_overhead_ms_per_step"] = steps > 0 ? (summary["canvas_s"] - summary["network_s"]) / steps * 1000 : double.NaN;
        }

        if (summary.TryGetValue("train_s", out var train))
        {
            summary["train_steps_per_s"] = trainSteps / train;
        }

        if (summary.TryGetValue("trainer_call_s", out var trainer))
        {
            summary["trainer_call_steps_per_s"] = trainSteps / trainer;
        }

        return summary;
    }

    private static void PrintTable(Dictionary<string, double> ours, Dictionary<string, double> theirs, int rounds)
    {
        string[] order =
        [
            "segment_s", "seeds_s", "canvas_s", "network_s", "steps", "steps_per_s", "voxels_per_s", "network_ms_per_step", "canvas_overhead_ms_per_step",
            "peak_memory_mib", "train_s", "train_steps_per_s", "trainer_call_s", "trainer_call_steps_per_s",
        ];

        // Rates: higher is better, the ratio is CellVision / reference; times and memory: reference / CellVision.
        string[] higherIsBetter = ["steps_per_s", "voxels_per_s", "train_steps_per_s", "trainer_call_steps_per_s"];
        Console.WriteLine(FormattableString.Invariant($"{"measure",-30} {"cellvision",14} {"reference",14} {"ratio",8}   (medians of {rounds} rounds, memory the largest; ratio > 1: CellVision faster or smaller)"));
        var ratios = new Dictionary<string, double>();
        foreach (var measure in order.Where(ours.ContainsKey))
        {
            var mine = ours[measure];
            var line = FormattableString.Invariant($"{measure,-30} {mine,14:G6}");
            if (theirs.TryGetValue(measure, out var value))
            {
                var ratio = measure == "steps" ? double.NaN : higherIsBetter.Contains(measure) ? mine / value : value / mine;
                ratios[measure] = ratio;
                line += FormattableString.Invariant($" {value,14:G6}") + (double.IsNaN(ratio) ? string.Empty : FormattableString.Invariant($" {ratio,7:F2}x"));
            }

            Console.WriteLine(line);
        }

        if (ratios.TryGetValue("steps_per_s", out var inference))
        {
            Console.WriteLine(FormattableString.Invariant($"goal inference steps/s >= {InferenceGoal:F1}x: {inference:F2}x {(inference >= InferenceGoal ? "met" : "not met")}"));
        }

        if (ratios.TryGetValue("train_steps_per_s", out var training))
        {
            Console.WriteLine(FormattableString.Invariant($"goal training steps/s >= {TrainingGoal:F1}x: {training:F2}x {(training >= TrainingGoal ? "met" : "not met")}"));
        }
    }

    /// <summary>The whole volume once, CellVision only: steps, time and the process's peak working set.</summary>
    private static int WholeVolume(Volume<byte> raw, FloodFillNetwork network, FfnSpeedSettings settings)
    {
        WarmUp(network);
        WarmUpCanvas(raw, network, settings.Inference);
        var before = CurrentProcessMemory();
        var timed = new TimedNetwork(network);
        var clock = Stopwatch.StartNew();
        using var result = FloodFillSegmenter.Segment(raw, timed, settings.Inference);
        var total = clock.Elapsed.TotalSeconds;
        var seeds = timed.FirstCall?.TotalSeconds ?? total;
        Console.WriteLine(FormattableString.Invariant(
            $"cellvision_ffn_whole_volume threads={TorchRuntime.ThreadCount} volume={raw.Depth},{raw.Height},{raw.Width} seeds={result.Attempts.Count} steps={result.Steps} objects={result.Segments.Count} seeds_s={seeds:F2} network_s={timed.Seconds:F2} total_s={total:F2} steps_per_s={result.Steps / total:F3} voxels_per_s={raw.Length / total:F0} before_segmenting_mib={before:F1} peak_working_set_mib={PeakMemory():F1}"));
        return 0;
    }

    /// <summary>Three untimed network calls, as the reference script makes before its timed run.</summary>
    private static void WarmUp(FloodFillNetwork network)
    {
        var (z, y, x) = network.FieldOfView;
        var zeros = new float[z * y * x];
        var logits = new float[zeros.Length];
        for (var i = 0; i < 3; i++)
        {
            network.Predict(zeros, zeros, logits, 1);
        }
    }

    /// <summary>
    /// An untimed segmentation of a small corner of the image (at most 48³ voxels), so that the canvas and the seed policy
    /// are compiled by the JIT before the timed runs (the reference's Python has no such cost).
    /// </summary>
    private static void WarmUpCanvas(Volume<byte> image, FloodFillNetwork network, FloodFillInferenceOptions options)
    {
        using var corner = image.Crop(Box.FromZyx(0, 0, 0, Math.Min(48, image.Depth), Math.Min(48, image.Height), Math.Min(48, image.Width)));
        using var result = FloodFillSegmenter.Segment(corner, network, options);
    }

    private static string CompareLabels(FloodFillResult result, string referenceLabels, Dictionary<string, string> reference)
    {
        var theirs = MemoryMarshal.Cast<byte, uint>(File.ReadAllBytes(referenceLabels).AsSpan());
        var ours = result.Segmentation.Span;
        var sameSteps = Number(reference, "steps") == result.Steps;
        var sameObjects = Number(reference, "objects") == result.Segments.Count;
        if (theirs.Length != ours.Length)
        {
            return $"labels: the reference wrote {theirs.Length} voxels, CellVision has {ours.Length}";
        }

        long differing = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            if (ours[i] != theirs[i])
            {
                differing++;
            }
        }

        // Float rounding in the two libtorch builds may steer a trajectory differently; that is reported, not an error.
        return FormattableString.Invariant(
            $"same steps: {(sameSteps ? "yes" : "no")} ({result.Steps} vs {reference["steps"]}); same objects: {(sameObjects ? "yes" : "no")} ({result.Segments.Count} vs {reference["objects"]}); labels identical: {(differing == 0 ? "yes" : $"no ({differing} of {ours.Length} voxels differ)")}");
    }

    /// <summary>
    /// TrainSteps + 1 batches of [image, seed, target] windows, float32: image windows of the normalised FIB-25 volume at
    /// seeded random places, uniform mask logits in [−3, 3], and soft labels 0.95 where the image is above its mean.
    /// </summary>
    private static float[] TrainingInputs(Volume<byte> raw, FloodFillNetwork network, FfnSpeedSettings settings)
    {
        var (fz, fy, fx) = network.FieldOfView;
        var window = fz * fy * fx;
        var batch = settings.BatchSize;
        var inputs = new float[(settings.TrainSteps + 1) * 3 * batch * window];
        var random = new Random(settings.Seed);
        var voxels = raw.Span;
        var (mean, scale) = ((float)settings.Inference.ImageMean, (float)settings.Inference.ImageStandardDeviation);
        for (var step = 0; step <= settings.TrainSteps; step++)
        {
            var image = inputs.AsSpan(step * 3 * batch * window, batch * window);
            var seed = inputs.AsSpan(((step * 3) + 1) * batch * window, batch * window);
            var target = inputs.AsSpan(((step * 3) + 2) * batch * window, batch * window);
            for (var b = 0; b < batch; b++)
            {
                var (z0, y0, x0) = (random.Next(raw.Depth - fz + 1), random.Next(raw.Height - fy + 1), random.Next(raw.Width - fx + 1));
                var i = b * window;
                for (var z = 0; z < fz; z++)
                {
                    for (var y = 0; y < fy; y++)
                    {
                        for (var x = 0; x < fx; x++, i++)
                        {
                            var value = (voxels[(int)(((long)(z0 + z) * raw.Height + y0 + y) * raw.Width) + x0 + x] - mean) / scale;
                            image[i] = value;
                            seed[i] = (float)((random.NextDouble() * 6) - 3);
                            target[i] = value > 0 ? 0.95f : 0.05f;
                        }
                    }
                }
            }
        }

        return inputs;
    }

    /// <summary>One untimed step, then TrainSteps timed ones of the internal training step; returns seconds and losses.</summary>
    private static (double Seconds, double FirstLoss, double LastLoss) TrainSteps(string weights, float[] inputs, FfnSpeedSettings settings)
    {
        using var network = FloodFillNetwork.Load(weights);
        network.Train();
        using var optimizer = new Sgd(network.Parameters(), settings.LearningRate);
        var (fz, fy, fx) = network.FieldOfView;
        var length = settings.BatchSize * fz * fy * fx;
        var logits = new float[length];
        double Step(int k)
        {
            var offset = k * 3 * length;
            return FloodFillTrainingStep.Run(network, optimizer, settings.Clip, inputs.AsSpan(offset, length), inputs.AsSpan(offset + length, length),
                inputs.AsSpan(offset + (2 * length), length), logits, settings.BatchSize);
        }

        Step(0);
        var clock = Stopwatch.StartNew();
        var first = Step(1);
        var last = first;
        for (var k = 2; k <= settings.TrainSteps; k++)
        {
            last = Step(k);
        }

        return (clock.Elapsed.TotalSeconds, first, last);
    }

    /// <summary>FIB-25 planes 0–149 (the training planes) with their ground-truth bodies, for <see cref="FloodFillTrainer.Train"/>.</summary>
    private static (Volume<float> Image, Volume<uint> Labels) TrainingVolume(Volume<byte> raw, string data)
    {
        using var truth = ReadTiff<ushort>(Path.Combine(data, "derived", "gt_bodies_zyx_uint16.tif"));
        var depth = Math.Min(150, raw.Depth);
        var image = new Volume<float>(depth, raw.Height, raw.Width);
        var labels = new Volume<uint>(depth, raw.Height, raw.Width);
        var source = raw.Span;
        var target = image.Span;
        var truthSource = truth.Span;
        var labelTarget = labels.Span;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = source[i];
            labelTarget[i] = truthSource[i];
        }

        return (image, labels);
    }

    /// <summary><see cref="FloodFillTrainer.Train"/> for TrainSteps steps from the shared weights on seeded coordinates; returns its seconds.</summary>
    private static double TrainerCall(string weights, FloodFillTrainingVolume volume, FfnSpeedSettings settings)
    {
        using var network = FloodFillNetwork.Load(weights);
        var options = new FloodFillTrainingOptions
        {
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            GradientClip = settings.Clip,
            MaxSteps = settings.TrainSteps,
            Seed = settings.Seed,
            ImageMean = settings.Inference.ImageMean,
            ImageStandardDeviation = settings.Inference.ImageStandardDeviation,
        };
        var (pz, py, px) = options.PatchSize(network);
        var (rz, ry, rx) = (pz / 2, py / 2, px / 2);
        var random = new Random(settings.Seed);
        var image = volume.Image;
        var coordinates = Enumerable.Range(0, 1000).Select(_ => new FloodFillCoordinate(0,
            random.Next(rz, image.Depth - rz), random.Next(ry, image.Height - ry), random.Next(rx, image.Width - rx))).ToList();
        var clock = Stopwatch.StartNew();
        FloodFillTrainer.Train(network, [volume], coordinates, options);
        return clock.Elapsed.TotalSeconds;
    }

    private static string[] SegmentArguments(FfnSpeedSettings settings, string raw, string weights, string labels)
    {
        var o = settings.Inference;
        return
        [
            "segment", "--weights", weights, "--raw", raw, "--labels-out", labels,
            "--block-start", Zyx(settings.BlockStart), "--block-size", Zyx(settings.BlockSize),
            "--image-mean", Invariant(o.ImageMean), "--image-stddev", Invariant(o.ImageStandardDeviation),
            "--init-activation", Invariant(o.InitialActivation), "--pad-value", Invariant(o.PadValue),
            "--move-threshold", Invariant(o.MoveThreshold), "--segment-threshold", Invariant(o.SegmentThreshold),
            "--min-segment-size", Invariant(o.MinimumSegmentSize), "--min-boundary-dist", Zyx(o.MinimumBoundaryDistance),
            "--disco-seed-threshold", Invariant(o.DisconnectedSeedThreshold),
        ];
    }

    private static string[] TrainArguments(FfnSpeedSettings settings, string weights, string inputs) =>
    [
        "train", "--weights", weights, "--inputs", inputs, "--batch-size", Invariant(settings.BatchSize), "--steps", Invariant(settings.TrainSteps),
        "--learning-rate", Invariant(settings.LearningRate), "--clip", Invariant(settings.Clip),
    ];

    private static string RunPython(FfnSpeedSettings settings, string[] arguments, string prefix)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(settings.Reference);
        foreach (var argument in arguments.Concat(["--threads", Invariant(settings.Threads)]))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("python3 did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{settings.Reference} {arguments[0]} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>benchmarks/compare/ffn.py in the repository that holds this program.</summary>
    internal static string DefaultReference()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CellVision.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null ? "ffn.py" : Path.Combine(directory.FullName, "benchmarks", "compare", "ffn.py");
    }

    private static double PeakMemory()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static double CurrentProcessMemory()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static Volume<T> ReadTiff<T>(string path)
        where T : unmanaged
    {
        using var tiff = TiffFile.Open(path);
        return tiff.ReadStack<T>();
    }

    private static void Add(Dictionary<string, List<double>> values, string measure, double value)
    {
        if (!values.TryGetValue(measure, out var list))
        {
            values.Add(measure, list = []);
        }

        list.Add(value);
    }

    private static Dictionary<string, string> Pairs(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token => token.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    private static double Number(Dictionary<string, string> pairs, string key) => double.Parse(pairs[key], CultureInfo.InvariantCulture);

    private static string Zyx((int Z, int Y, int X) value) => FormattableString.Invariant($"{value.Z},{value.Y},{value.X}");

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Counts the network calls and the seconds spent in them, and when the first call came.</summary>
    private sealed class TimedNetwork(IFloodFillNetwork inner) : IFloodFillNetwork
    {
        private readonly Stopwatch sinceCreated = Stopwatch.StartNew();
        private readonly Stopwatch inside = new();

        public (int Z, int Y, int X) FieldOfView => inner.FieldOfView;

        public (int Z, int Y, int X) Deltas => inner.Deltas;

        public long Calls { get; private set; }

        public double Seconds => inside.Elapsed.TotalSeconds;

        /// <summary>When the first call began, from this object's creation.</summary>
        public TimeSpan? FirstCall { get; private set; }

        public void Predict(ReadOnlySpan<float> image, ReadOnlySpan<float> seed, Span<float> logits, int batchSize)
        {
            FirstCall ??= sinceCreated.Elapsed;
            Calls++;
            inside.Start();
            inner.Predict(image, seed, logits, batchSize);
            inside.Stop();
        }
    }

    /// <summary>A temporary folder for the shared weights, the training inputs and the reference's labels; deleted on dispose.</summary>
    private sealed class TemporaryFiles : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ffn-").FullName;

        public string Name(string file) => Path.Combine(folder, file);

        public void Dispose() => Directory.Delete(folder, recursive: true);
    }
}
