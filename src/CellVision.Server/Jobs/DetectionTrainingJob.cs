using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Server.Messaging;
using CellVision.Server.State;
using CellVision.Server.Status;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// <c>/seg/train</c>'s work, on a worker thread: batch mode writes the labels of the sent spots and runs the epochs;
/// live mode runs one epoch per live label update (<see cref="LiveUpdates"/>). Before every step the training waits while
/// a prediction or update holds WAIT and takes the learning rate posted to <c>/params</c>; live epochs also take the
/// posted crop count. Frames and labels are resampled to the request's <c>input_size</c> when it differs from the image
/// size. After every epoch the model file is replaced (temporary name, then rename) and "Model updated" is
/// published. Abort cancels between steps and leaves the last saved model.
/// </summary>
internal sealed partial class DetectionTrainingJob(
    ProcessStateMachine states,
    TrainingParameters parameters,
    LiveUpdates live,
    ModelFiles models,
    IServerMessagePublisher publisher,
    JobActivity activity,
    ILogger<DetectionTrainingJob> logger)
{
    /// <summary>Runs the training until its epochs are done (batch) or it is aborted.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The abort token.</param>
    /// <exception cref="OperationCanceledException">Aborted.</exception>
    public void Run(DetectionTrainingRequest request, CancellationToken cancellationToken)
    {
        using var model = models.LoadOrCreate(request.ModelPath);
        using var trainer = new DetectionTrainer(model, KeepAxials.FromLevels(request.KeepAxialLevels), request.Training);
        var hook = new TrainingStepHook(states, parameters, activity, () => trainer.LearningRate, lr => trainer.LearningRate = lr, logger, cancellationToken);
        if (request.Live)
        {
            RunLive(request, model, trainer, hook, cancellationToken);
        }
        else
        {
            RunBatch(request, model, trainer, hook, cancellationToken);
        }
    }

    private void RunBatch(DetectionTrainingRequest request, DetectionUNet model, DetectionTrainer trainer, TrainingStepHook hook, CancellationToken cancellationToken)
    {
        var frames = new List<TrainingFrame>();
        try
        {
            var images = DatasetFrames.Open(request.DatasetFolder, "imgs.zarr");
            foreach (var (t, spots) in request.Spots)
            {
                hook.Report(default);
                var labels = DetectionLabelWriter.Write(request.DatasetFolder, t, request.VoxelSize, spots, request.Labels, cancellationToken);
                using var frame = DatasetFrames.Read(images, t, request.VoxelSize, cancellationToken);
                frames.Add(Resized(new TrainingFrame(Normalization.MinMaxToUnit(frame), labels), request, images));
            }

            for (var epoch = 1; epoch <= request.Training.Epochs; epoch++)
            {
                hook.BeginEpoch(epoch, request.Training.Epochs);
                var loss = trainer.TrainEpoch(frames, hook, cancellationToken);
                Saved(model, request, epoch, request.Training.Epochs, loss);
            }
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Normalised.Dispose();
                frame.Labels.Dispose();
            }
        }
    }

    private void RunLive(DetectionTrainingRequest request, DetectionUNet model, DetectionTrainer trainer, TrainingStepHook hook, CancellationToken cancellationToken)
    {
        var images = DatasetFrames.Open(request.DatasetFolder, "imgs.zarr");
        for (var epoch = 1; ; epoch++)
        {
            var t = live.NextEpoch(cancellationToken);
            try
            {
                if (parameters.CropCount is int crops and >= 1)
                {
                    trainer.CropsPerTimepoint = crops;
                }

                hook.BeginEpoch(epoch, 0);
                using var frame = DatasetFrames.Read(images, t, request.VoxelSize, cancellationToken);
                var training = Resized(new TrainingFrame(Normalization.MinMaxToUnit(frame), DetectionLabelWriter.Read(request.DatasetFolder, t, request.VoxelSize, cancellationToken)), request, images);
                double loss;
                try
                {
                    loss = trainer.TrainEpoch([training], hook, cancellationToken);
                }
                catch (ArgumentException exception)
                {
                    Log.LiveEpochSkipped(logger, t, exception.Message);
                    continue;
                }
                finally
                {
                    training.Normalised.Dispose();
                    training.Labels.Dispose();
                }

                Saved(model, request, epoch, 0, loss);
            }
            finally
            {
                live.EpochDone();
            }
        }
    }

    /// <summary>
    /// The frame resampled to the request's <c>input_size</c> as ELEPHANT's training dataset resamples it
    /// (<see cref="TrainingFrame.Resize"/>), or the frame itself when the sizes agree; a resampled frame replaces (and
    /// disposes) the given one.
    /// </summary>
    private TrainingFrame Resized(TrainingFrame frame, DetectionTrainingRequest request, CellVision.IO.Zarr.ZarrArray images)
    {
        var (depth, height, width) = DatasetFrames.Shape(images);
        var factor = InputResize.Factor(request.InputSize, depth, height, width, images.Rank == 4);
        if (factor == (1d, 1d, 1d))
        {
            return frame;
        }

        try
        {
            var resized = frame.Resize(factor);
            Log.Resampled(logger, resized.Normalised.Width, resized.Normalised.Height, resized.Normalised.Depth);
            return resized;
        }
        finally
        {
            frame.Normalised.Dispose();
            frame.Labels.Dispose();
        }
    }

    private void Saved(DetectionUNet model, DetectionTrainingRequest request, int epoch, int epochs, double loss)
    {
        ModelFiles.Save(model, request.ModelPath);
        Log.Epoch(logger, epoch, epochs, loss);
        publisher.Publish(ServerQueues.Update, ServerMessages.ModelUpdated, logger);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9300, Level = LogLevel.Information, Message = "Train Epoch: {Epoch} of {Epochs} (0 = live), mean loss {Loss:F6}; model saved")]
        public static partial void Epoch(ILogger logger, int epoch, int epochs, double loss);

        [LoggerMessage(EventId = 9302, Level = LogLevel.Information, Message = "Training frame resampled to input_size [{Width}, {Height}, {Depth}]")]
        public static partial void Resampled(ILogger logger, int width, int height, int depth);

        [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message = "Live update of timepoint {Timepoint} not trained: {Reason}")]
        public static partial void LiveEpochSkipped(ILogger logger, int timepoint, string reason);
    }
}
