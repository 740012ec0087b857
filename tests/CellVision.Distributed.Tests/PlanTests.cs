using CellVision.Core.Volumes;
using CellVision.Distributed.Operations;

namespace CellVision.Distributed.Tests;

public sealed class PlanTests
{
    [Fact]
    public void A_saved_plan_reads_back_with_its_tasks_and_options()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        plan.Save();
        var read = JobPlan.Load(folder["out.zarr.plan.json"]);
        Assert.Equal(plan.JobId, read.JobId);
        Assert.Equal(12, read.Tasks.Count);
        Assert.Equal(plan.Tasks, read.Tasks);
        Assert.Equal(Fixtures.Clahe, IncasemClaheOperation.ReadOptions(read));
    }

    [Fact]
    public void Overlapping_task_boxes_are_refused_before_anything_is_written()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var overlapping = new JobPlan
        {
            JobId = plan.JobId, Operation = plan.Operation, Options = plan.Options, Inputs = plan.Inputs, Outputs = plan.Outputs,
            Tasks = [.. plan.Tasks, JobTask.ForBlock(new Box([0, 0, 0], [32, 32, 32]))],
        };
        var error = Assert.Throws<JobPlanException>(() => Jobs.Prepare(overlapping));
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["out.zarr"]));
        Assert.False(File.Exists(folder["out.zarr.plan.json"]));
    }

    [Fact]
    public void Blocks_off_the_chunk_grid_are_refused()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var shifted = new JobPlan
        {
            JobId = plan.JobId, Operation = plan.Operation, Options = plan.Options, Inputs = plan.Inputs, Outputs = plan.Outputs,
            Tasks = [JobTask.ForBlock(new Box([0, 0, 0], [40, 70, 16])), JobTask.ForBlock(new Box([0, 0, 16], [40, 70, 34]))],
        };
        var error = Assert.Throws<JobPlanException>(() => Jobs.Validate(shifted));
        Assert.Contains("chunks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_is_named()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        Directory.Delete(folder["input.zarr"], recursive: true);
        var error = Assert.Throws<JobPlanException>(() => Jobs.Validate(plan));
        Assert.Contains("input.zarr' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Throws<JobPlanException>(() => IncasemClaheOperation.CreatePlan(folder["input.zarr"], folder["out2.zarr"]));
        Assert.Throws<JobPlanException>(() => TiffSequenceToZarrOperation.CreatePlan(folder["no-such-folder"], folder["out3.zarr"]));
    }

    [Fact]
    public void An_output_holding_another_jobs_data_or_foreign_data_is_refused()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var first = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        Jobs.Prepare(first);
        var second = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        var error = Assert.Throws<JobPlanException>(() => Jobs.Prepare(second));
        Assert.Contains(first.JobId, error.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(folder["foreign.zarr"]);
        File.WriteAllText(Path.Combine(folder["foreign.zarr"], ".zarray"), "{}");
        var foreign = IncasemClaheOperation.CreatePlan(input, folder["foreign.zarr"], Fixtures.Clahe);
        Assert.Contains("no job wrote", Assert.Throws<JobPlanException>(() => Jobs.Prepare(foreign)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finished_task_is_not_run_again_and_an_unprepared_output_is_refused()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        plan.Save();
        Assert.Throws<JobPlanException>(() => JobWorker.RunTask(plan.PlanPath, 0));
        Jobs.Prepare(plan);
        Assert.Equal(TaskOutcome.Completed, JobWorker.RunTask(plan.PlanPath, 0));
        var record = new JobOutput(plan.Outputs[0]).ReadDone(0)!.ToJsonString();
        Assert.Equal(TaskOutcome.AlreadyDone, JobWorker.RunTask(plan.PlanPath, 0));
        Assert.Equal(record, new JobOutput(plan.Outputs[0]).ReadDone(0)!.ToJsonString());
        Assert.Equal(1, new JobOutput(plan.Outputs[0]).Attempts(0));
        Assert.Throws<JobPlanException>(() => JobWorker.RunTask(plan.PlanPath, 12));
        Assert.Throws<JobFailedException>(() => Jobs.Complete(plan));
    }

    [Fact]
    public void The_job_in_one_process_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        Jobs.Prepare(plan);
        for (var i = plan.Tasks.Count - 1; i >= 0; i--)
        {
            JobWorker.RunTask(plan.PlanPath, i);
        }

        Jobs.Complete(plan);
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
        Assert.True(Jobs.Status(plan) is { Done: 12, IsComplete: true, Missing.Count: 0 });
    }
}
