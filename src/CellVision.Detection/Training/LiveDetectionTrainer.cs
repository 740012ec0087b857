using System.Threading.Channels;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's live mode: the host calls <see cref="UpdateLabels"/> whenever the annotations of a timepoint change, and
/// each update runs one epoch of <see cref="DetectionTrainer.CropsPerTimepoint"/> crops from that timepoint on a
/// background thread, raising <see cref="DetectionTrainer.ModelUpdated"/>. Learning rate and crop count may be changed
/// on the trainer while it runs. Dispose (or cancel the token given at creation) to stop.
/// </summary>
public sealed class LiveDetectionTrainer : IDisposable
{
    private readonly DetectionTrainer trainer;
    private readonly Channel<TrainingFrame> updates = Channel.CreateUnbounded<TrainingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stop;
    private readonly Task loop;

    /// <summary>Starts live training.</summary>
    /// <param name="trainer">The trainer whose model and optimiser are updated.</param>
    /// <param name="cancellationToken">Stops live training.</param>
    public LiveDetectionTrainer(DetectionTrainer trainer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        this.trainer = trainer;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        loop = Task.Run(RunAsync, stop.Token);
    }

    /// <summary>Raised when an epoch fails; live training stops.</summary>
    public event EventHandler<Exception>? Failed;

    /// <summary>
    /// Queues an epoch on the timepoint's new labels. The frame and labels are copied, so the caller may dispose or
    /// change its own volumes at once.
    /// </summary>
    /// <param name="frame">The timepoint's normalised frame and its regenerated labels.</param>
    public void UpdateLabels(TrainingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(stop.IsCancellationRequested, this);
        var copy = new TrainingFrame(frame.Normalised.Crop(frame.Normalised.Bounds), frame.Labels.Crop(frame.Labels.Bounds));
        if (!updates.Writer.TryWrite(copy))
        {
            Release(copy);
            throw new ObjectDisposedException(nameof(LiveDetectionTrainer));
        }
    }

    /// <summary>Stops live training after the running step and waits for it.</summary>
    public void Dispose()
    {
        if (!stop.IsCancellationRequested)
        {
            stop.Cancel();
        }

        updates.Writer.TryComplete();
        try
        {
            loop.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
        }

        while (updates.Reader.TryRead(out var pending))
        {
            Release(pending);
        }

        stop.Dispose();
    }

    private static void Release(TrainingFrame frame)
    {
        frame.Normalised.Dispose();
        frame.Labels.Dispose();
    }

    private async Task RunAsync()
    {
        var token = stop.Token;
        try
        {
            while (await updates.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (updates.Reader.TryRead(out var frame))
                {
                    try
                    {
                        trainer.TrainEpoch([frame], cancellationToken: token);
                    }
                    finally
                    {
                        Release(frame);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failed?.Invoke(this, e);
        }
    }
}
