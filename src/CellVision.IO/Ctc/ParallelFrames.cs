using System.Runtime.ExceptionServices;

namespace CellVision.IO.Ctc;

/// <summary>Runs a body once per item on several threads, reporting progress and rethrowing the first failure unwrapped.</summary>
public static class ParallelFrames
{
    /// <summary>Runs <paramref name="body"/> for 0 … <paramref name="count"/> − 1.</summary>
    /// <param name="count">Number of items.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 0 or less for all cores.</param>
    /// <param name="stage">The stage named in the progress reports.</param>
    /// <param name="progress">Receives a report as each item finishes, or null.</param>
    /// <param name="body">The work for one item.</param>
    /// <param name="cancellationToken">Stops before the next item.</param>
    public static void Run(int count, int maxDegreeOfParallelism, string stage, IProgress<CtcProgress>? progress, Action<int> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new CtcProgress(stage, 0, count));
        var done = 0;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, count, options, index =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(index);
                progress?.Report(new CtcProgress(stage, Interlocked.Increment(ref done), count));
            });
        }
        catch (AggregateException aggregate)
        {
            var inner = aggregate.Flatten().InnerExceptions;
            var first = inner.FirstOrDefault(e => e is not OperationCanceledException) ?? inner[0];
            ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }
}
