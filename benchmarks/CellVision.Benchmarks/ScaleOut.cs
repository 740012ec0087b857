using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Distributed;
using CellVision.Distributed.Operations;
using CellVision.Distributed.Runners;
using CellVision.Distributed.Slurm;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Segmentation;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>scale-out</c>: incasem's block-wise CLAHE of one uint8 Zarr volume as the single-process library call, as a job
/// of 1, 2, 4 … local worker processes, and (when <c>SLURM_CONF</c> names a cluster) as a Slurm job array. Prints the
/// throughput, the per-task overhead (worker start, plan and array opening, marker; wall × slots − Σ task seconds, per
/// task) and the ratio to the library call, and checks that every job's chunks equal the library call's.
/// </summary>
internal static class ScaleOut
{
    internal static int Run(int edge, int blocksPerTask, IReadOnlyList<int> workerCounts, int slurmSlots, string folder)
    {
        Directory.CreateDirectory(folder);
        var options = new IncasemClaheOptions();
        var input = Path.Combine(folder, "input.zarr");
        long[] shape = [edge, edge, edge];
        var megabytes = (double)edge * edge * edge / (1 << 20);
        if (!File.Exists(Path.Combine(input, ".zarray")))
        {
            WriteInput(input, shape);
        }

        var worker = new WorkerCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", [Path.Combine(AppContext.BaseDirectory, "CellVision.Cli.dll")]);
        var reference = Path.Combine(folder, "library.zarr");
        Delete(reference);
        var source = ZarrArray.Open(input);
        var target = ZarrArray.Create<byte>(reference, shape, IncasemClaheOperation.OutputChunks(shape, options), ZarrCompressor.Default);
        var clock = Stopwatch.StartNew();
        IncasemClahe.Equalize(source, target, options);
        var library = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"scale-out: volume {edge}^3 uint8 ({megabytes:F0} MiB), {Environment.ProcessorCount} cores; library call {library:F2} s, {megabytes / library:F1} MiB/s"));

        foreach (var workers in workerCounts)
        {
            Measure($"local x{workers}", new LocalRunner(new LocalRunnerOptions { Workers = workers, Worker = worker }), workers);
        }

        if (slurmSlots > 0)
        {
            Measure($"slurm {slurmSlots} slots", new SlurmRunner(new SlurmRunnerOptions { Worker = worker, PollInterval = TimeSpan.FromSeconds(1) }), slurmSlots);
        }

        return 0;

        void Measure(string name, IJobRunner runner, int slots)
        {
            var output = Path.Combine(folder, "job.zarr");
            Delete(output);
            File.Delete(JobPlan.PlanPathFor(output));
            var plan = IncasemClaheOperation.CreatePlan(input, output, options, blocksPerTask);
            var watch = Stopwatch.StartNew();
            Jobs.RunAsync(plan, runner).GetAwaiter().GetResult();
            var wall = watch.Elapsed.TotalSeconds;
            var markers = new JobOutput(output);
            var compute = Enumerable.Range(0, plan.Tasks.Count).Sum(i => (double)markers.ReadDone(i)!["seconds"]!);
            var overhead = ((wall * Math.Min(slots, plan.Tasks.Count)) - compute) / plan.Tasks.Count;
            Same(reference, output);
            Console.WriteLine(FormattableString.Invariant($"scale-out: {name}: {plan.Tasks.Count} tasks in {wall:F2} s, {megabytes / wall:F1} MiB/s, task compute {compute / plan.Tasks.Count:F3} s mean, overhead {overhead:F3} s per task, library/job time {library / wall:F2}; chunks equal the library call's"));
        }
    }

    private static void WriteInput(string path, long[] shape)
    {
        var array = ZarrArray.Create<byte>(path, shape, [128, 128, 128], ZarrCompressor.Default);
        var plane = shape[1] * shape[2];
        var values = new byte[plane * 16];
        var random = new Random(3);
        for (long z = 0; z < shape[0]; z += 16)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (byte)(((i % shape[2]) / 4) + random.Next(0, 96));
            }

            var depth = Math.Min(16, shape[0] - z);
            array.Write(new Box([z, 0, 0], [depth, shape[1], shape[2]]), (ReadOnlySpan<byte>)values.AsSpan(0, (int)(depth * plane)));
        }
    }

    private static void Same(string expected, string actual)
    {
        foreach (var file in Directory.EnumerateFiles(expected))
        {
            var other = Path.Combine(actual, Path.GetFileName(file));
            if (!File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(other)))
            {
                throw new InvalidOperationException($"{other} differs from the library call's {file}.");
            }
        }
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
