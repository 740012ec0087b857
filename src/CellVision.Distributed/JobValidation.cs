using CellVision.Core.Volumes;

namespace CellVision.Distributed;

/// <summary>The checks every plan passes before anything runs; operations add their own.</summary>
internal static class JobValidation
{
    internal static void Validate(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var operation = JobOperations.Get(plan.Operation);
        foreach (var input in plan.Inputs)
        {
            if (!File.Exists(input) && !Directory.Exists(input))
            {
                throw new JobPlanException($"The input '{input}' does not exist.");
            }
        }

        foreach (var output in plan.Outputs)
        {
            CheckOutput(plan, output);
        }

        if (plan.Tasks.Count == 0)
        {
            throw new JobPlanException("The plan has no tasks.");
        }

        if (plan.Tasks.Any(t => t.IsBlock) && plan.Tasks.Any(t => !t.IsBlock))
        {
            throw new JobPlanException("The plan mixes block tasks and timepoint tasks; a plan has one kind.");
        }

        if (plan.Tasks[0].IsBlock)
        {
            CheckBlocks(plan.Tasks);
        }
        else
        {
            CheckTimepoints(plan.Tasks);
        }

        operation.Validate(plan);
    }

    /// <summary>An output is fine when it does not exist, is an empty folder, or belongs to this job.</summary>
    private static void CheckOutput(JobPlan plan, string output)
    {
        if (File.Exists(output))
        {
            throw new JobPlanException($"The output '{output}' is a file; outputs are folders (Zarr arrays or groups).");
        }

        if (!Directory.Exists(output) || !Directory.EnumerateFileSystemEntries(output).Any())
        {
            return;
        }

        var owner = new JobOutput(output).OwnerJobId;
        if (owner is null)
        {
            throw new JobPlanException($"The output '{output}' already holds data that no job wrote; choose a new output or remove it.");
        }

        if (owner != plan.JobId)
        {
            throw new JobPlanException($"The output '{output}' already holds the data of another job ({owner}); resume that job with its own plan, or choose a new output.");
        }
    }

    private static void CheckBlocks(IReadOnlyList<JobTask> tasks)
    {
        var rank = tasks[0].Block!.Value.Rank;
        var order = Enumerable.Range(0, tasks.Count).OrderBy(i => tasks[i].Block!.Value.Start[0]).ToArray();
        for (var a = 0; a < order.Length; a++)
        {
            var first = tasks[order[a]].Block!.Value;
            if (first.Rank != rank || first.IsEmpty || first.Start.Any(s => s < 0))
            {
                throw new JobPlanException($"Task {order[a]} ({first}) must be a non-empty box of rank {rank} at non-negative coordinates.");
            }

            for (var b = a + 1; b < order.Length; b++)
            {
                var second = tasks[order[b]].Block!.Value;
                if (second.Start[0] >= first.Start[0] + first.Size[0])
                {
                    break;
                }

                if (second.Rank == rank && !first.Intersect(second).IsEmpty)
                {
                    throw new JobPlanException($"Tasks {order[a]} ({first}) and {order[b]} ({second}) overlap; tasks must write disjoint blocks.");
                }
            }
        }
    }

    private static void CheckTimepoints(IReadOnlyList<JobTask> tasks)
    {
        var order = Enumerable.Range(0, tasks.Count).OrderBy(i => tasks[i].FirstTimepoint).ToArray();
        for (var a = 0; a < order.Length; a++)
        {
            var task = tasks[order[a]];
            if (task.FirstTimepoint < 0 || task.TimepointCount < 1)
            {
                throw new JobPlanException($"Task {order[a]} ({task}) must cover at least one timepoint from 0 on.");
            }

            if (a > 0 && tasks[order[a - 1]] is var previous && previous.FirstTimepoint + previous.TimepointCount > task.FirstTimepoint)
            {
                throw new JobPlanException($"Tasks {order[a - 1]} ({previous}) and {order[a]} ({task}) overlap; tasks must cover disjoint timepoints.");
            }
        }
    }

    /// <summary>Checks that the blocks lie inside <paramref name="shape"/> and that each starts and ends on a chunk boundary (or the edge).</summary>
    internal static void CheckChunkAligned(IReadOnlyList<JobTask> tasks, IReadOnlyList<long> shape, IReadOnlyList<long> chunks, string output)
    {
        for (var i = 0; i < tasks.Count; i++)
        {
            var block = tasks[i].Block ?? throw new JobPlanException($"Task {i} is a timepoint task; this operation takes blocks.");
            if (block.Rank != shape.Count)
            {
                throw new JobPlanException($"Task {i} ({block}) has rank {block.Rank}; the output '{output}' has rank {shape.Count}.");
            }

            for (var d = 0; d < shape.Count; d++)
            {
                var end = block.Start[d] + block.Size[d];
                if (end > shape[d] || block.Start[d] % chunks[d] != 0 || (end % chunks[d] != 0 && end != shape[d]))
                {
                    throw new JobPlanException($"Task {i} ({block}) must lie inside [{string.Join(", ", shape)}] and start and end on the chunks ([{string.Join(", ", chunks)}]) of '{output}', so that no two tasks write one chunk.");
                }
            }
        }
    }

    /// <summary>Checks that the blocks cover <paramref name="shape"/> exactly (they are disjoint, so their volumes must add up).</summary>
    internal static void CheckCoverage(IReadOnlyList<JobTask> tasks, IReadOnlyList<long> shape)
    {
        var covered = tasks.Sum(t => t.Block!.Value.ElementCount);
        var total = shape.Aggregate(1L, (a, b) => a * b);
        if (covered != total)
        {
            throw new JobPlanException($"The tasks cover {covered} of the output's {total} voxels; they must cover it exactly once.");
        }
    }

    internal static Box Whole(IReadOnlyList<long> shape) => Box.FromShape([.. shape]);
}
