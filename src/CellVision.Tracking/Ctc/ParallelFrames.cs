using System.Runtime.ExceptionServices;

namespace CellVision.Tracking.Ctc;

/// <summary>Runs a body once per item on several threads, reporting progress and rethrowing the first failure unwrapped.</summary>
internal static class ParallelFrames
{
    internal static void Run(int count, int maxDegreeOfParallelism, string stage, IProgress<CtcProgress>? progress, CancellationToken cancellationToken, Action<int> body)
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
