using CellVision.Distributed.Operations;
using CellVision.Distributed.Slurm;

namespace CellVision.Distributed.Tests;

public sealed class SlurmRunnerTests
{
    private static SlurmRunner Runner(string? faults = null, string? gres = null, string? commandFolder = null) => new(new SlurmRunnerOptions
    {
        Partition = TestCluster.Partition,
        PollInterval = TimeSpan.FromMilliseconds(300),
        Worker = Fixtures.Worker,
        Gres = gres,
        CommandFolder = commandFolder,
        Environment = faults is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CELLVISION_WORKER_FAULTS"] = faults },
    });

    [Fact]
    public void Array_specifications_are_read_and_written()
    {
        Assert.Equal([0, 1, 2, 3, 7, 9, 11], SlurmQueue.ParseIndices("0-3,7,9-11:2%4"));
        Assert.Equal("0-3,7,9", SlurmQueue.FormatIndices([0, 1, 2, 3, 7, 9]));
    }

    [Fact]
    public async Task Missing_Slurm_commands_give_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var error = await Assert.ThrowsAsync<SlurmException>(() => Jobs.RunAsync(plan, Runner(commandFolder: folder.Sub("empty"))));
        Assert.Contains("slurm-client", error.Message, StringComparison.Ordinal);
    }

    [SlurmFact]
    public async Task A_block_job_spreads_over_both_nodes_and_equals_the_library_call()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        await Jobs.RunAsync(plan, Runner(faults: "delay:*:400"));
        Assert.Equal(["n1", "n2"], Fixtures.Nodes(plan).Order());
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }

    [SlurmFact]
    public async Task A_timepoint_job_spreads_over_both_nodes_and_equals_the_single_process_conversion()
    {
        using var folder = new TemporaryFolder();
        var tiffs = Fixtures.TiffFolder(folder, 6);
        var plan = TiffSequenceToZarrOperation.CreatePlan(tiffs, folder["movie.zarr"]);
        await Jobs.RunAsync(plan, Runner(faults: "delay:*:600"));
        Assert.Equal(["n1", "n2"], Fixtures.Nodes(plan).Order());
        Fixtures.AssertSameArray(Fixtures.TiffReference(folder, tiffs), plan.Outputs[0]);
    }

    [SlurmFact]
    public async Task A_task_that_fails_twice_is_resubmitted_until_it_succeeds()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        var reports = new List<JobProgress>();
        await Jobs.RunAsync(plan, Runner(faults: "fail:2:2"), new SynchronousProgress<JobProgress>(reports));
        Assert.Equal(3, new JobOutput(plan.Outputs[0]).Attempts(2));
        Assert.Equal(2, reports[^1].Retries);
        Assert.True(File.ReadAllLines(SlurmRunner.JobListPath(plan)).Length == 3, "one array, then one resubmission per failure");
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }

    [SlurmFact]
    public async Task A_node_taken_down_while_tasks_are_queued_does_not_lose_tasks()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
        var downed = false;
        var last = default(JobProgress);
        var progress = new CallbackProgress<JobProgress>(p =>
        {
            last = p;
            // Once some tasks finished and others wait in the queue, take n2 away while it runs one of them
            // (which dies with it). Checking the node first keeps a moment between two of its tasks from
            // downing an idle node.
            if (!downed && p.Done >= 2 && p.Done + p.Running == p.Total && p.Running > 4
                && TestCluster.Run("squeue", "-h", "-w", "n2", "-t", "R", "-o", "%i").Trim().Length > 0)
            {
                downed = true;
                TestCluster.Run("scontrol", "update", "nodename=n2", "state=down", "reason=test");
            }
        });
        try
        {
            // Downing a node only kills its jobs in the controller's books; the test "node" keeps running the worker
            // until its job is cleaned up. Tasks long enough that the runner sees the job gone before the worker
            // finishes keep the resubmission path tested.
            await Jobs.RunAsync(plan, Runner(faults: "delay:*:2500"), progress);
        }
        finally
        {
            // The cluster returns a node to service when its slurmd registers again, so n2 may be back already.
            TestCluster.ResumeAndWaitUsable("n2");
        }

        Assert.True(downed);
        Assert.True(last.Retries >= 1, "the tasks that died with n2 were submitted again");
        Assert.Contains("n1", Fixtures.Nodes(plan));
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }

    [SlurmFact]
    public async Task A_job_Slurm_refuses_gives_Slurms_reason()
    {
        using var folder = new TemporaryFolder();
        var plan = IncasemClaheOperation.CreatePlan(Fixtures.Volume(folder), folder["out.zarr"], Fixtures.Clahe);
        var error = await Assert.ThrowsAsync<SlurmException>(() => Jobs.RunAsync(plan, Runner(gres: "gpu:1")));
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("gres", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [SlurmFact]
    public async Task Cancelling_cancels_the_arrays_and_resume_finishes_the_job()
    {
        using var folder = new TemporaryFolder();
        var input = Fixtures.Volume(folder);
        var plan = IncasemClaheOperation.CreatePlan(input, folder["out.zarr"], Fixtures.Clahe);
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
            Assert.True(DateTime.UtcNow < deadline, "the array left the queue after scancel");
            Thread.Sleep(200);
        }

        var done = Jobs.Status(plan).Done;
        Assert.InRange(done, 1, 11);
        await Jobs.RunAsync(JobPlan.Load(plan.PlanPath), Runner());
        Assert.True(Jobs.Status(plan).IsComplete);
        Fixtures.AssertSameArray(Fixtures.ClaheReference(folder, input), plan.Outputs[0]);
    }
}
