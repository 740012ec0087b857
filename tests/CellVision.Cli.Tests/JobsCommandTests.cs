using CellVision.Core.Volumes;
using CellVision.Distributed;
using CellVision.Distributed.Operations;
using CellVision.IO.Zarr;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

public sealed class JobsCommandTests
{
    [Fact]
    public void Worker_runs_one_task_once_and_jobs_status_counts_it()
    {
        using var folder = new TemporaryFolder();
        var input = ZarrArray.Create<byte>(folder["in.zarr"], [20, 40, 40], [20, 20, 20]);
        var values = new byte[20 * 40 * 40];
        new Random(5).NextBytes(values);
        input.Write(Box.FromShape(20, 40, 40), (ReadOnlySpan<byte>)values);
        var plan = IncasemClaheOperation.CreatePlan(folder["in.zarr"], folder["out.zarr"], new IncasemClaheOptions { KernelSize = 20, BlockSize = 20, Context = 10 });
        Jobs.Prepare(plan);

        var first = CliRunner.Run("worker", "--plan", plan.PlanPath, "--task", "3");
        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.Contains("task 3 done", first.Output, StringComparison.Ordinal);
        var second = CliRunner.Run("worker", "--plan", plan.PlanPath, "--task", "3");
        Assert.Contains("task 3 had finished before", second.Output, StringComparison.Ordinal);

        var status = CliRunner.Run("jobs", "status", plan.PlanPath);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"job {plan.JobId} (incasem-clahe): 1/4 tasks done, 1 attempts", status.Output, StringComparison.Ordinal);
        Assert.Contains("missing: 0, 1, 2", status.Output, StringComparison.Ordinal);

        var missing = CliRunner.Run("worker", "--plan", plan.PlanPath, "--task", "9");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("there is no task 9", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_are_refused_for_what_does_not_split_and_for_missing_plans()
    {
        using var folder = new TemporaryFolder();
        var skimage = CliRunner.Run("clahe", folder["in.zarr"], folder["out.zarr"], "--workers", "2");
        Assert.Equal(2, skimage.ExitCode);
        Assert.Contains("incasem variant", skimage.Error, StringComparison.Ordinal);

        var noPlan = CliRunner.Run("jobs", "status", folder["nothing.plan.json"]);
        Assert.Equal(2, noPlan.ExitCode);
        Assert.Contains("does not exist", noPlan.Error, StringComparison.Ordinal);

        var noInput = CliRunner.Run("clahe", folder["in.zarr"], folder["out.zarr"], "--variant", "incasem", "--engine", "local");
        Assert.Equal(2, noInput.ExitCode);
        Assert.Contains("in.zarr", noInput.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["out.zarr"]));
    }
}
