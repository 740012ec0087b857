using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>compare-semantic</c>: incasem's block-wise prediction and training steps of its reference network (32 feature maps,
/// 204³ → 110³) on real FIB-25 EM, in CellVision and in benchmarks/compare/semantic.py (the plain-PyTorch transcription
/// of funlib's U-Net that the tests use, driven as incasem's pipeline drives it: normalisation, network, scipy softmax,
/// argmax, zarr writes), with the same weights and libtorch thread count. Both write zlib-3 Zarr arrays in chunks of
/// half an output block. Goals: prediction throughput ≥ 1.2×, training step time ≥ 1.0×.
/// </summary>
internal static class SemanticSpeed
{
    private const double PredictionGoal = 1.2;
    private const double TrainingGoal = 1.0;

    internal static int Run(string data, string reference, int threads, (int Z, int Y, int X) volume, (int Z, int Y, int X) input, int trainSteps, int featureMaps, int seed)
    {
        TorchRuntime.ThreadCount = threads;
        using var folder = new ScratchFolder();
        using var network = TorchRuntime.Seeded(unchecked((ulong)seed), () => new SemanticUNet(new SemanticUNetOptions { UNet = new ValidUNetOptions { FeatureMaps = featureMaps } }));
        network.Eval();
        var weights = Path.Combine(folder.Path, "weights.pth");
        network.Save(weights);
        var output = network.GetOutputSize(input);
        using var rawTiff = TiffFile.Open(Path.Combine(data, "derived", "raw_zyx_uint8.tif"));
        using var fib = rawTiff.ReadStack<byte>();
        using var raw = fib.Crop(Box.FromZyx(0, 0, 0, volume.Z, volume.Y, volume.X));
        var haveReference = reference != "none" && File.Exists(reference);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"network: incasem's U-Net, {featureMaps} feature maps, {network.Parameters().Sum(p => p.ElementCount)} parameters, input {input} -> output {output}; FIB-25 raw {volume}; libtorch threads {TorchRuntime.ThreadCount}, {Environment.ProcessorCount} cores"));

        // Prediction.
        var ours = Path.Combine(folder.Path, "cellvision.zarr");
        var grid = PredictIntoZarr(network, raw, ours, input, output, out var seconds);
        var voxels = grid.Covered.ElementCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cellvision_semantic_predict threads={threads} blocks={grid.Count} seconds={seconds:F3} voxels_per_s={voxels / seconds:F1} peak_working_set_mib={PeakMemory():F1}"));
        var rows = new List<(string Name, double Ours, double Theirs, bool HigherIsBetter)>();
        if (haveReference)
        {
            var rawFile = Path.Combine(folder.Path, "raw.bin");
            File.WriteAllBytes(rawFile, raw.Span.ToArray());
            var theirs = Path.Combine(folder.Path, "reference.zarr");
            var line = RunPython(reference, ["predict", "--weights", weights, "--raw", rawFile, "--shape", Zyx(volume), "--input-size", Zyx(input), "--out", theirs, "--threads", Invariant(threads)], "reference_semantic_predict");
            Console.WriteLine(line);
            var theirSeconds = Value(line, "seconds");
            rows.Add(("predict_s", seconds, theirSeconds, false));
            rows.Add(("output_voxels_per_s", voxels / seconds, voxels / theirSeconds, true));
            var (worst, equal) = Agreement(ours, theirs, grid.Covered);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probabilities: largest difference {worst:E2}; segmentation: {equal:P4} of voxels equal"));
        }

        // Training.
        if (trainSteps > 0)
        {
            var inputs = Path.Combine(folder.Path, "train.bin");
            var blocks = TrainingBlocks(fib, data, input, output, trainSteps + 1, seed);
            WriteTrainingInputs(inputs, blocks);
            network.Train();
            using var optimizer = SemanticTrainingStep.CreateOptimizer(network);
            using var kernels = Conv3dKernels.ForceOneDnn();
            var losses = new List<double>();
            var clock = new Stopwatch();
            for (var step = 0; step <= trainSteps; step++)
            {
                if (step == 1)
                {
                    clock.Start();
                }

                losses.Add(SemanticTrainingStep.Run(network, optimizer, blocks[step].Image, input, blocks[step].Labels, blocks[step].Mask));
            }

            var trainSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cellvision_semantic_train threads={threads} steps={trainSteps} first_loss={losses[1]:F6} last_loss={losses[^1]:F6} train_s={trainSeconds:F3}"));
            if (haveReference)
            {
                var line = RunPython(reference, ["train", "--weights", weights, "--inputs", inputs, "--input-size", Zyx(input), "--steps", Invariant(trainSteps), "--threads", Invariant(threads)], "reference_semantic_train");
                Console.WriteLine(line);
                rows.Add(("train_step_s", trainSeconds / trainSteps, Value(line, "train_s") / trainSteps, false));
            }
        }

        if (rows.Count > 0)
        {
            Console.WriteLine($"{"measure",-24} {"cellvision",14} {"reference",14} {"ratio",8}   (ratio > 1: CellVision faster)");
            foreach (var (name, mine, theirs, higher) in rows)
            {
                var ratio = higher ? mine / theirs : theirs / mine;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} {mine,14:G6} {theirs,14:G6} {ratio,7:F2}x"));
            }

            foreach (var (name, goal, measure) in new[] { ("prediction voxels/s", PredictionGoal, "output_voxels_per_s"), ("training step time", TrainingGoal, "train_step_s") })
            {
                if (rows.FirstOrDefault(r => r.Name == measure) is { Name: not null } row)
                {
                    var ratio = row.HigherIsBetter ? row.Ours / row.Theirs : row.Theirs / row.Ours;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"goal {name} >= {goal:F1}x: {ratio:F2}x {(ratio >= goal ? "met" : "not met")}"));
                }
            }
        }

        return 0;
    }

    private static SemanticBlockGrid PredictIntoZarr(SemanticUNet network, Volume<byte> raw, string path, (int Z, int Y, int X) input, (int Z, int Y, int X) output, out double seconds)
    {
        long[] chunks = [Math.Max(1, output.Z / 2), Math.Max(1, output.Y / 2), Math.Max(1, output.X / 2)];
        ZarrGroup.Create(path);
        var maps = Enumerable.Range(0, network.Classes).Select(c => (IChunkedVolume)ZarrArray.Create<float>(Path.Combine(path, "prob_maps", $"class_{c}"), raw.Shape, chunks, new ZlibCompressor(3))).ToArray();
        var segmentation = ZarrArray.Create<uint>(Path.Combine(path, "segmentation"), raw.Shape, chunks, new ZlibCompressor(3));
        using (Conv3dKernels.ForceOneDnn())
        {
            var warm = new float[input.Z * input.Y * input.X];
            network.PredictLogits(warm, input, new float[network.Classes * output.Z * output.Y * output.X]);
        }

        var clock = Stopwatch.StartNew();
        var grid = SemanticPredictor.Predict(new InMemoryChunkedVolume<byte>(raw), network, new SemanticPredictionTargets(maps, segmentation), new SemanticPredictionOptions { InputSize = input });
        seconds = clock.Elapsed.TotalSeconds;
        return grid;
    }

    private static (double Worst, double Equal) Agreement(string ours, string theirs, Box covered)
    {
        var worst = 0.0;
        foreach (var c in new[] { 0, 1 })
        {
            var a = ZarrArray.Open(Path.Combine(ours, "prob_maps", $"class_{c}")).Read<float>(covered);
            var b = ZarrArray.Open(Path.Combine(theirs, "prob_maps", $"class_{c}")).Read<float>(covered);
            for (var i = 0; i < a.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            }
        }

        var s = ZarrArray.Open(Path.Combine(ours, "segmentation")).Read<uint>(covered);
        var t = ZarrArray.Open(Path.Combine(theirs, "segmentation")).Read<uint>(covered);
        return (worst, s.Zip(t).Count(p => p.First == p.Second) / (double)s.Length);
    }

    /// <summary>Training blocks from FIB-25: the normalised raw block, class 1 on bodies with an odd id, every voxel counted.</summary>
    private static List<(float[] Image, int[] Labels, bool[] Mask)> TrainingBlocks(Volume<byte> fib, string data, (int Z, int Y, int X) input, (int Z, int Y, int X) output, int count, int seed)
    {
        using var truthTiff = TiffFile.Open(Path.Combine(data, "derived", "gt_bodies_zyx_uint16.tif"));
        using var truth = truthTiff.ReadStack<ushort>();
        var random = new Random(seed);
        var blocks = new List<(float[], int[], bool[])>();
        var context = ((input.Z - output.Z) / 2, (input.Y - output.Y) / 2, (input.X - output.X) / 2);
        for (var n = 0; n < count; n++)
        {
            var (z, y, x) = (random.Next(fib.Depth - input.Z + 1), random.Next(fib.Height - input.Y + 1), random.Next(fib.Width - input.X + 1));
            using var block = fib.Crop(Box.FromZyx(z, y, x, input.Z, input.Y, input.X));
            var image = new float[block.Length];
            SemanticUNet.NormalizeInput(block.Span, image);
            using var bodies = truth.Crop(Box.FromZyx(z + context.Item1, y + context.Item2, x + context.Item3, output.Z, output.Y, output.X));
            var labels = bodies.Span.ToArray().Select(b => b % 2).ToArray();
            blocks.Add((image, labels, Enumerable.Repeat(true, labels.Length).ToArray()));
        }

        return blocks;
    }

    private static void WriteTrainingInputs(string path, List<(float[] Image, int[] Labels, bool[] Mask)> blocks)
    {
        using var file = File.Create(path);
        foreach (var (image, labels, mask) in blocks)
        {
            file.Write(MemoryMarshal.AsBytes(image.AsSpan()));
            file.Write(MemoryMarshal.AsBytes(labels.Select(l => (long)l).ToArray().AsSpan()));
            file.Write(mask.Select(m => m ? (byte)1 : (byte)0).ToArray());
        }
    }

    private static string RunPython(string script, string[] arguments, string prefix)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("python3 did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith(prefix, StringComparison.Ordinal))
            : throw new InvalidOperationException($"{script} {arguments[0]} failed ({process.ExitCode}): {error.Result}");
    }

    private static double Value(string line, string key) =>
        double.Parse(line.Split(' ').First(p => p.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..], CultureInfo.InvariantCulture);

    private static string Zyx((int Z, int Y, int X) v) => Invariant($"{v.Z},{v.Y},{v.X}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static double PeakMemory()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>A temporary folder removed on dispose.</summary>
    private sealed class ScratchFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cellvision-semantic-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
