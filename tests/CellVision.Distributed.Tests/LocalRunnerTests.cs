using System.Diagnostics;
using CellVision.Distributed.Operations;
using CellVision.Distributed.Runners;

namespace CellVision.Distributed.Tests;

public sealed class LocalRunnerTests
{
    private static LocalRunner Runner(int workers = 2, string? faults = null, int attempts = 3) => new(new LocalRunnerOptions
    {
        Workers = workers,
        MaxAttempts = attempts,
        Worker = Fixtures.Worker,
        Environment = faults is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CELLVISION_WORKER_FAULTS"] = faults },
    });

    [Fact]
    public async Task A_block_job_over_worker_processes_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        var reports = new List<JobProgress>();
        await Jobs.RunAsync(plan, Runner(), new SynchronousProgress<JobProgress>(reports));
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
        Assert.Equal(new JobProgress(12, 12, 0, 0, 0), reports[^1]);
        Assert.Contains(reports, r => r.Running == 2);
        var output = new JobOutput(plan.Outputs[0]);
        Assert.True(Enumerable.Range(0, 12).Select(i => (int)output.ReadDone(i)!["pid"]!).Distinct().Count() == 12, "each task ran in its own worker process");
    }

    [Fact]
    public async Task A_timepoint_job_equals_the_single_process_conversion()
    {
        using var folder = new TemporaryFolder();
        var tiffs = Fixtures.TiffFolder(folder, 5);
        var plan = TiffSequenceToZarrOperation.CreatePlan(tiffs, folder["movie.zarr"], timepointsPerTask: 2);
        Assert.Equal(3, plan.Tasks.Count);
        await Jobs.RunAsync(plan, Runner());
        Fixtures.AssertSameArray(Fixtures.TiffReference(folder, tiffs), plan.Outputs[0]);
    }

    [Fact]
    public async Task A_task_that_fails_twice_then_succeeds_finishes_the_job()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        var reports = new List<JobProgress>();
        await Jobs.RunAsync(plan, Runner(faults: "fail:3:2"), new SynchronousProgress<JobProgress>(reports));
        Assert.Equal(3, new JobOutput(plan.Outputs[0]).Attempts(3));
        Assert.Equal(1, new JobOutput(plan.Outputs[0]).Attempts(4));
        Assert.Equal(2, reports[^1].Retries);
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }

    [Fact]
    public async Task A_worker_killed_mid_task_leaves_no_half_written_chunk_and_its_task_runs_again()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder, [40, 70, 64]);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe, blocksPerTask: 2);
        Assert.Equal(2, plan.Tasks.Count);
        await Jobs.RunAsync(plan, Runner(faults: "crash:1:1"));
        var done = new JobOutput(plan.Outputs[0]).ReadDone(1)!;
        Assert.Equal(2, (int)done["attempt"]!);
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }

    [Fact]
    public async Task A_task_failing_every_attempt_fails_the_job_and_the_rest_stays_done()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var error = await Assert.ThrowsAsync<JobFailedException>(() => Jobs.RunAsync(plan, Runner(faults: "fail:5:9", attempts: 2)));
        Assert.Equal([5], error.FailedTasks);
        Assert.Contains("injected failure", error.Message, StringComparison.Ordinal);
        var status = Jobs.Status(plan);
        Assert.Equal([5], status.Missing);
        Assert.False(status.IsComplete);

        // Without the fault, a resume runs task 5 only.
        await Jobs.RunAsync(JobPlan.Load(plan.PlanPath), Runner());
        Assert.True(Jobs.Status(plan).IsComplete);
        Assert.Equal(3, new JobOutput(plan.Outputs[0]).Attempts(5));
        Assert.Equal(1, new JobOutput(plan.Outputs[0]).Attempts(4));
    }

    [Fact]
    public async Task Resume_after_the_coordinator_was_killed_runs_only_the_missing_tasks()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var output = folder["out.zarr"];
        var start = new ProcessStartInfo(Fixtures.Worker.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Fixtures.Worker.Arguments.Concat(["clahe", input, output, "--variant", "incasem", "--kernel-size", "32", "--block-size", "32", "--context", "16", "--workers", "1"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CELLVISION_WORKER_FAULTS"] = "delay:*:300";
        var markers = new JobOutput(output);
        using (var coordinator = Process.Start(start)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (markers.DoneTasks(12).Count < 3)
            {
                Assert.True(DateTime.UtcNow < deadline && !coordinator.HasExited, "the coordinator finished three tasks in time");
                Thread.Sleep(50);
            }

            coordinator.Kill(entireProcessTree: true);
            await coordinator.WaitForExitAsync();
        }

        var plan = JobPlan.Load(JobPlan.PlanPathFor(output));
        var before = markers.DoneTasks(12).ToDictionary(i => i, i => markers.ReadDone(i)!.ToJsonString());
        Assert.InRange(before.Count, 3, 11);
        Assert.False(markers.IsComplete);

        await Jobs.RunAsync(plan, Runner());
        foreach (var (task, record) in before)
        {
            Assert.Equal(record, markers.ReadDone(task)!.ToJsonString());
            Assert.Equal(1, markers.Attempts(task));
        }

        Assert.True(markers.IsComplete);
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), output);
    }

    [Fact]
    public async Task Cancelling_stops_the_workers_and_keeps_finished_tasks()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress<JobProgress>(p =>
        {
            if (p.Done >= 2)
            {
                cancellation.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Jobs.RunAsync(plan, Runner(faults: "delay:*:200"), progress, cancellation.Token));
        var status = Jobs.Status(plan);
        Assert.InRange(status.Done, 2, 11);
        Assert.False(status.IsComplete);
    }
}
