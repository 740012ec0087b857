using System.Diagnostics;
using CellVision.Distributed.Operations;
using CellVision.Distributed.Runners;
using CellVision.Distributed.Slurm;
using CellVision.IO.Zarr;

namespace CellVision.Distributed.Tests;

public sealed class SemanticJobTests
{
    private static LocalRunner Local() => new(new LocalRunnerOptions { Workers = 2, Worker = Fixtures.Worker });

    [Fact]
    public async Task A_semantic_prediction_job_over_two_workers_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var (raw, model, mask) = (SemanticFixtures.Raw(folder), SemanticFixtures.Model(folder), SemanticFixtures.Mask(folder));
        var plan = SemanticFixtures.Plan(folder, raw, model, mask);
        Assert.Equal(4, plan.Tasks.Count);
        await Jobs.RunAsync(plan, Local());
        var reference = SemanticFixtures.Reference(folder, raw, model, mask);
        AssertPredicted(reference);
        Fixtures.AssertSameArray(reference, plan.Outputs[0]);
    }

    [SlurmFact]
    public async Task A_semantic_prediction_job_on_both_nodes_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var (raw, model, mask) = (SemanticFixtures.Raw(folder), SemanticFixtures.Model(folder), SemanticFixtures.Mask(folder));
        var plan = SemanticFixtures.Plan(folder, raw, model, mask);
        await Jobs.RunAsync(plan, new SlurmRunner(new SlurmRunnerOptions
        {
            Partition = TestCluster.Partition,
            PollInterval = TimeSpan.FromMilliseconds(300),
            Worker = Fixtures.Worker,
            Environment = new Dictionary<string, string> { ["CELLVISION_WORKER_FAULTS"] = "delay:*:400" },
        }));
        Assert.Equal(["n1", "n2"], Fixtures.Nodes(plan).Order());
        Fixtures.AssertSameArray(SemanticFixtures.Reference(folder, raw, model, mask), plan.Outputs[0]);
    }

    [Fact]
    public async Task Resuming_a_semantic_prediction_job_runs_only_the_tasks_that_had_not_finished()
    {
        using var folder = new TemporaryFolder();
        var (raw, model, mask) = (SemanticFixtures.Raw(folder), SemanticFixtures.Model(folder), SemanticFixtures.Mask(folder));
        var plan = SemanticFixtures.Plan(folder, raw, model, mask);

        // Two tasks finish in this process; then the job runs again with worker processes.
        int[] finished = [0, 3];
        Jobs.Prepare(plan);
        foreach (var task in finished)
        {
            Assert.Equal(TaskOutcome.Completed, JobWorker.RunTask(plan.PlanPath, task));
        }

        var output = new JobOutput(plan.Outputs[0]);
        var before = finished.ToDictionary(i => i, i => output.ReadDone(i)!.ToJsonString());
        await Jobs.RunAsync(JobPlan.Load(plan.PlanPath), Local());
        Assert.True(Jobs.Status(plan).IsComplete);
        for (var task = 0; task < plan.Tasks.Count; task++)
        {
            Assert.Equal(1, output.Attempts(task));
            var here = (int)output.ReadDone(task)!["pid"]! == Environment.ProcessId;
            Assert.True(finished.Contains(task) == here, $"task {task} ran {(here ? "in this process" : "in a worker")}");
        }

        Assert.All(before, b => Assert.Equal(b.Value, output.ReadDone(b.Key)!.ToJsonString()));
        Fixtures.AssertSameArray(SemanticFixtures.Reference(folder, raw, model, mask), plan.Outputs[0]);
    }

    [Fact]
    public async Task A_missing_model_fails_the_plan_before_anything_is_written_or_submitted()
    {
        using var folder = new TemporaryFolder();
        var (raw, model, mask) = (SemanticFixtures.Raw(folder), SemanticFixtures.Model(folder), SemanticFixtures.Mask(folder));
        var missing = Assert.Throws<JobPlanException>(() => SemanticPredictionOperation.CreatePlan(raw, folder["nowhere.pth"], folder["a.zarr"], SemanticFixtures.Factors, SemanticFixtures.Options));
        Assert.Contains("nowhere.pth", missing.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["a.zarr"]));

        // A model removed after planning: the Slurm runner (whose commands do not exist here) is never reached.
        var plan = SemanticFixtures.Plan(folder, raw, model, mask);
        File.Delete(model);
        var slurm = new SlurmRunner(new SlurmRunnerOptions { Worker = Fixtures.Worker, CommandFolder = folder.Sub("no-slurm") });
        var error = await Assert.ThrowsAsync<JobPlanException>(() => Jobs.RunAsync(plan, slurm));
        Assert.Contains(model, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(plan.Outputs[0]), "nothing was written");
        Assert.False(File.Exists(plan.PlanPath), "no plan was saved");
    }

    [Fact]
    public void A_semantic_plan_whose_tasks_split_chunks_or_miss_predicted_voxels_is_refused()
    {
        using var folder = new TemporaryFolder();
        var plan = SemanticFixtures.Plan(folder, SemanticFixtures.Raw(folder), SemanticFixtures.Model(folder), SemanticFixtures.Mask(folder));
        Jobs.Validate(plan);
        JobPlan With(IReadOnlyList<JobTask> tasks) => new() { JobId = plan.JobId, Operation = plan.Operation, Options = plan.Options, Inputs = plan.Inputs, Outputs = plan.Outputs, Tasks = tasks };

        var missing = Assert.Throws<JobPlanException>(() => Jobs.Validate(With([.. plan.Tasks.Skip(1)])));
        Assert.Contains("must cover each once", missing.Message, StringComparison.Ordinal);
        var first = plan.Tasks[0].Block!.Value;
        var shifted = JobTask.ForBlock(new Core.Volumes.Box(first.Start.AsSpan(), [first.Size[0] - 1, first.Size[1], first.Size[2]]));
        var split = Assert.Throws<JobPlanException>(() => Jobs.Validate(With([shifted, .. plan.Tasks.Skip(1)])));
        Assert.Contains("start and end on the chunks ([3, 5, 5])", split.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_semantic_predict_command_with_workers_runs_the_job_and_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var (raw, model, mask) = (SemanticFixtures.Raw(folder), SemanticFixtures.Model(folder), SemanticFixtures.Mask(folder));
        string[] common = ["semantic", "predict", "--model", model, "--downsample", "2,2,2", "--mask", mask, "--input-size", "24,28,28", "--workers", "1", "--chunks-per-task", "20"];
        var (code, text) = await Cellvision([.. common, "--raw", raw, "--out", folder["job.zarr"]]);
        Assert.True(code == 0, text);
        Assert.Contains("1 tasks", text, StringComparison.Ordinal);
        var reference = SemanticFixtures.Reference(folder, raw, model, mask);
        Fixtures.AssertSameArray(Path.Combine(reference, SemanticPredictionZarr.ProbabilitiesGroup), Path.Combine(folder["job.zarr"], SemanticPredictionZarr.ProbabilitiesGroup));
        Fixtures.AssertSameArray(SemanticPredictionZarr.SegmentationPath(reference), SemanticPredictionZarr.SegmentationPath(folder["job.zarr"]));

        (code, text) = await Cellvision([.. common, "--raw", model, "--out", folder["other.zarr"]]);
        Assert.NotEqual(0, code);
        Assert.Contains("Zarr arrays", text, StringComparison.Ordinal);
        (code, text) = await Cellvision([.. common, "--raw", raw, "--out", folder["job.zarr"]]);
        Assert.NotEqual(0, code);
        Assert.Contains("cellvision jobs resume", text, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> Cellvision(string[] arguments)
    {
        var start = new ProcessStartInfo(Fixtures.Worker.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Fixtures.Worker.Arguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The reference is a real prediction: probabilities inside the covered region only, the mask zeroing the segmentation.</summary>
    private static void AssertPredicted(string reference)
    {
        var segmentation = ZarrArray.Open(SemanticPredictionZarr.SegmentationPath(reference));
        var labels = new uint[SemanticFixtures.Shape.Aggregate(1L, (a, b) => a * b)];
        segmentation.Read(segmentation.Bounds, labels.AsSpan());
        var probability = ZarrArray.Open(SemanticPredictionZarr.ProbabilityPath(reference, 2));
        var values = new float[labels.Length];
        probability.Read(probability.Bounds, values.AsSpan());
        Assert.InRange(values[SemanticFixtures.Index(15, 20, 20)], 1e-6f, 1f);
        Assert.Equal(0f, values[SemanticFixtures.Index(2, 20, 20)]);
        Assert.All(Enumerable.Range(30, 9), y => Assert.Equal(0u, labels[SemanticFixtures.Index(15, y, 20)]));
        Assert.True(values.Distinct().Count() > 1000, "the probabilities vary from voxel to voxel");
    }
}
