using System.Diagnostics;
using CellVision.Distributed.Operations;
using CellVision.Distributed.Slurm;

namespace CellVision.Distributed.Tests;

/// <summary>The Slurm runner through slurmrestd (JWT) instead of the command-line tools.</summary>
public sealed class SlurmRestRunnerTests
{
    private static SlurmRunner Runner(string? faults = null, string? token = null, Uri? url = null, string? partition = null) => new(new SlurmRunnerOptions
    {
        Partition = partition ?? TestCluster.Partition,
        PollInterval = TimeSpan.FromMilliseconds(300),
        Worker = Fixtures.Worker,
        RestUrl = url ?? TestCluster.RestUrl,
        RestToken = token ?? TestCluster.RestToken,
        RestUser = "root",
        CommandTimeout = TimeSpan.FromSeconds(10),

        // No command-line tool may be used: an empty folder makes any call of one fail.
        CommandFolder = "/nonexistent",
        Environment = faults is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CELLVISION_WORKER_FAULTS"] = faults },
    });

    [Fact]
    public void Slurm_time_and_memory_become_minutes_and_megabytes()
    {
        Assert.Equal(30, SlurmRestJob.Minutes("30"));
        Assert.Equal(31, SlurmRestJob.Minutes("30:01"));
        Assert.Equal(90, SlurmRestJob.Minutes("01:30:00"));
        Assert.Equal((2 * 24 * 60) + (3 * 60), SlurmRestJob.Minutes("2-3"));
        Assert.Equal((24 * 60) + 61, SlurmRestJob.Minutes("1-01:01:00"));
        Assert.Equal(8192, SlurmRestJob.Megabytes("8G"));
        Assert.Equal(4000, SlurmRestJob.Megabytes("4000"));
        Assert.Equal(1, SlurmRestJob.Megabytes("512K"));
        Assert.Throws<ArgumentException>(() => SlurmRestJob.Minutes("half an hour"));
    }

    [Fact]
    public void The_options_do_not_print_the_token()
    {
        var text = new SlurmRunnerOptions { RestUrl = new Uri("http://slurm:6820"), RestToken = "secret-token", Partition = "cpu" }.ToString();
        Assert.DoesNotContain("secret-token", text, StringComparison.Ordinal);
        Assert.Contains("RestToken = ***", text, StringComparison.Ordinal);
        Assert.Contains("Partition = cpu", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_slurmrestd_gives_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var error = await Assert.ThrowsAsync<SlurmException>(() => Jobs.RunAsync(plan, Runner(token: "token", url: new Uri("http://127.0.0.1:1"))));
        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(SlurmRunner.JobListPath(plan)));
    }

    [SlurmRestFact]
    public async Task A_block_job_through_slurmrestd_spreads_over_both_nodes_and_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        await Jobs.RunAsync(plan, Runner(faults: "delay:*:400;fail:3:1"));
        Assert.Equal(["n1", "n2"], Fixtures.Nodes(plan).Order());
        Assert.Equal(2, new JobOutput(plan.Outputs[0]).Attempts(3));
        Assert.Equal(2, File.ReadAllLines(SlurmRunner.JobListPath(plan)).Length);
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }

    [SlurmRestFact]
    public async Task A_task_that_always_fails_is_reported_with_its_Slurm_state()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var reports = new List<JobProgress>();
        var error = await Assert.ThrowsAsync<JobFailedException>(() => Jobs.RunAsync(plan, Runner(faults: "fail:5:9"), new SynchronousProgress<JobProgress>(reports)));
        Assert.Equal([5], error.FailedTasks);
        Assert.Equal(2, reports[^1].Retries);
        Assert.Contains("FAILED, exit code", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, new JobOutput(plan.Outputs[0]).Attempts(5));
    }

    [SlurmRestFact]
    public async Task A_bad_token_gives_a_clear_error_before_anything_is_submitted()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var error = await Assert.ThrowsAsync<SlurmException>(() => Jobs.RunAsync(plan, Runner(token: "not-a-token")));
        Assert.Contains("token", error.Message, StringComparison.Ordinal);
        Assert.Contains("scontrol token", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(SlurmRunner.JobListPath(plan)));
    }

    [SlurmRestFact]
    public async Task A_job_Slurm_refuses_gives_Slurms_reason()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var error = await Assert.ThrowsAsync<SlurmException>(() => Jobs.RunAsync(plan, Runner(partition: "no-such-partition")));
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid partition name", error.Message, StringComparison.Ordinal);
    }

    [SlurmRestFact]
    public async Task Cancelling_cancels_the_array_through_slurmrestd()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress<JobProgress>(p =>
        {
            if (p.Done >= 1)
            {
                cancellation.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Jobs.RunAsync(plan, Runner(faults: "delay:*:800"), progress, cancellation.Token));
        var job = File.ReadAllLines(SlurmRunner.JobListPath(plan)).Single();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (TestCluster.Run("squeue", "-h", "-j", job, "-t", "PD,R,CG").Trim().Length > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the array left the queue after the cancel through slurmrestd");
            Thread.Sleep(200);
        }

        Assert.InRange(Jobs.Status(plan).Done, 1, 11);
    }

    [SlurmRestFact]
    public async Task The_cli_submits_through_slurmrestd_with_the_token_in_SLURM_JWT()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var output = folder["out.zarr"];
        var start = new ProcessStartInfo(Fixtures.Worker.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "CellVision.Cli.dll"), "clahe", input, output, "--variant", "incasem",
            "--kernel-size", "32", "--block-size", "32", "--context", "16", "--engine", "slurm", "--partition", TestCluster.Partition!,
            "--slurm-rest", TestCluster.RestUrl!.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLURM_JWT"] = TestCluster.RestToken;
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, await text + await error);
        Assert.Contains("complete", await text, StringComparison.Ordinal);
        var plan = JobPlan.Load(output + ".plan.json");
        Assert.True(Jobs.Status(plan).IsComplete);
        Assert.Single(File.ReadAllLines(SlurmRunner.JobListPath(plan)));
    }
}
