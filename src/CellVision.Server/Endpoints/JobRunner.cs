using CellVision.Server.Http;
using CellVision.Server.State;
using CellVision.Server.Status;
using Microsoft.AspNetCore.Http;

namespace CellVision.Server.Endpoints;

/// <summary>How the endpoints run their jobs: on a worker thread, with an abort answered as "not completed".</summary>
internal static class JobRunner
{
    /// <summary>Runs blocking work on a worker thread; an abort (the token cancelled) gives (false, default).</summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="aborted">The job's abort token.</param>
    public static Task<(bool Completed, T? Result)> RunAbortableAsync<T>(Func<T> work, CancellationToken aborted) =>
        EndpointServices.OnWorkerThread<(bool, T?)>(() =>
        {
            try
            {
                return (true, work());
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return (false, default);
            }
        });

    /// <summary>
    /// An exclusive job (training): 500 "Process is running" unless IDLE; state RUN while it runs, IDLE after; values
    /// posted to <c>/params</c> before it are forgotten; <c>{"completed": true|false}</c>.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="work">The job, given its abort token.</param>
    /// <param name="begin">Runs after the state is RUN.</param>
    /// <param name="end">Runs before the state returns to IDLE.</param>
    public static async Task<IResult> RunExclusiveAsync(HttpContext context, Action<CancellationToken> work, Action? begin = null, Action? end = null)
    {
        var states = context.Service<ProcessStateMachine>();
        if (!states.TryBeginExclusive(out var aborted))
        {
            throw new ElephantRequestException("Process is running", 500);
        }

        try
        {
            context.Service<TrainingParameters>().Clear();
            begin?.Invoke();
            return await RunRecordedAsync(context, $"{context.Request.Method} {context.Request.Path}", () => work(aborted), aborted).ConfigureAwait(false);
        }
        finally
        {
            end?.Invoke();
            states.EndExclusive();
        }
    }

    /// <summary>
    /// Runs an exclusive job's work as <see cref="RunAbortableAsync"/> does, recorded for the status page
    /// (<see cref="JobActivity"/>) under <paramref name="name"/> with its outcome; <c>{"completed": true|false}</c>.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="name">What the status page calls the job.</param>
    /// <param name="work">The job.</param>
    /// <param name="aborted">The job's abort token.</param>
    public static async Task<IResult> RunRecordedAsync(HttpContext context, string name, Action work, CancellationToken aborted)
    {
        var activity = context.Service<JobActivity>();
        var outcome = "failed";
        activity.Begin(name);
        try
        {
            var (completed, _) = await RunAbortableAsync(() =>
            {
                work();
                return true;
            }, aborted).ConfigureAwait(false);
            outcome = completed ? "completed" : "aborted";
            return ElephantResponses.Completed(completed);
        }
        finally
        {
            activity.End(outcome);
        }
    }

    /// <summary>
    /// A label update (<c>/seg/update</c>, <c>/flow/update</c>): waits for the interleaving lease (<c>{"completed":
    /// false}</c> when aborted meanwhile), answers a <c>reset</c> request by <paramref name="reset"/>, else runs
    /// <paramref name="update"/> under the lease.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="reset">Empties the dataset's label arrays.</param>
    /// <param name="update">Writes the labels: request, dataset folder, lease → reply.</param>
    public static async Task<IResult> UpdateLabelsAsync(HttpContext context, Action<string> reset, Func<ElephantJsonRequest, string, ProcessStateMachine.InterleavedLease, Task<IResult>> update)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var folder = context.Service<Workspace.ElephantWorkspace>().DatasetFolder(request.String("dataset_name"));
        var isReset = request.Bool("reset", false);
        using var lease = await context.Service<ProcessStateMachine>().EnterInterleavedAsync(context.RequestAborted).ConfigureAwait(false);
        if (lease is null)
        {
            return ElephantResponses.Completed(false);
        }

        if (isReset)
        {
            reset(folder);
            return ElephantResponses.Completed(true);
        }

        return await update(request, folder, lease).ConfigureAwait(false);
    }

    /// <summary>The checks every training request starts with (400 as ELEPHANT answers them).</summary>
    /// <param name="crops">The request's <c>n_crops</c>.</param>
    /// <param name="timepoints">How many timepoints carry spots.</param>
    /// <param name="live">Live mode, which may start without spots.</param>
    public static void RequireTrainable(int crops, int timepoints, bool live)
    {
        if (crops < 1)
        {
            throw new ElephantRequestException("n_crops should be a positive number");
        }

        if (timepoints == 0 && !live)
        {
            throw new ElephantRequestException("nothing to train");
        }
    }
}
