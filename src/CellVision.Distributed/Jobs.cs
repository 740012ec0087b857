namespace CellVision.Distributed;

/// <summary>Runs, resumes and inspects jobs: validate and prepare once, run the missing tasks with a runner, then the final step.</summary>
public static class Jobs
{
    /// <summary>Checks a plan without writing anything.</summary>
    /// <param name="plan">The plan.</param>
    /// <exception cref="JobPlanException">A missing input, an output holding other data, overlapping or misaligned tasks, or bad options.</exception>
    public static void Validate(JobPlan plan) => JobValidation.Validate(plan);

    /// <summary>Validates the plan, saves it next to its output, claims the outputs for this job and creates them empty. Safe to call again.</summary>
    /// <param name="plan">The plan.</param>
    /// <exception cref="JobPlanException">The plan is invalid; nothing is written.</exception>
    public static void Prepare(JobPlan plan)
    {
        Validate(plan);
        plan.Save();
        foreach (var output in plan.Outputs)
        {
            new JobOutput(output).Claim(plan.JobId);
        }

        JobOperations.Get(plan.Operation).Prepare(plan);
    }

    /// <summary>
    /// Runs a job to its end: prepares it, runs the tasks not yet finished with <paramref name="runner"/>, then the
    /// operation's final step. Calling it again with the same plan (a resume) runs only what is missing.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="runner">Where the tasks run.</param>
    /// <param name="progress">Receives the state of the whole job.</param>
    /// <param name="cancellationToken">Stops the job; finished tasks stay finished.</param>
    /// <exception cref="JobPlanException">The plan is invalid.</exception>
    /// <exception cref="JobFailedException">Some tasks failed every allowed attempt; the rest stay finished.</exception>
    public static async Task RunAsync(JobPlan plan, IJobRunner runner, IProgress<JobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runner);
        Prepare(plan);
        await runner.RunTasksAsync(plan, progress, cancellationToken).ConfigureAwait(false);
        Complete(plan, cancellationToken);
    }

    /// <summary>Runs the final step once every task finished, and removes temporary files killed workers left behind.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    /// <exception cref="JobFailedException">Some tasks have not finished.</exception>
    public static void Complete(JobPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var output = new JobOutput(plan.Outputs[0]);
        var missing = Enumerable.Range(0, plan.Tasks.Count).Where(i => !output.IsDone(i)).ToList();
        if (missing.Count > 0)
        {
            throw new JobFailedException($"{missing.Count} of {plan.Tasks.Count} tasks have not finished (first: {string.Join(", ", missing.Take(10))}); resume the job.", missing);
        }

        if (output.IsComplete)
        {
            return;
        }

        foreach (var folder in plan.Outputs.Where(Directory.Exists))
        {
            foreach (var partial in Directory.EnumerateFiles(folder, "*.partial", SearchOption.AllDirectories))
            {
                File.Delete(partial);
            }
        }

        JobOperations.Get(plan.Operation).Complete(plan, cancellationToken);
        output.MarkComplete();
    }

    /// <summary>Where a saved job stands, from the markers in its output.</summary>
    /// <param name="plan">The plan.</param>
    public static JobStatus Status(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var output = new JobOutput(plan.Outputs[0]);
        var done = output.DoneTasks(plan.Tasks.Count);
        var attempts = Enumerable.Range(0, plan.Tasks.Count).Sum(output.Attempts);
        return new JobStatus(plan.Tasks.Count, done.Count, attempts, output.IsComplete, [.. Enumerable.Range(0, plan.Tasks.Count).Except(done)]);
    }
}
