using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Server.Messaging;
using CellVision.Server.State;
using CellVision.Server.Status;
using CellVision.Tracking;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// <c>/flow/train</c>'s work: writes the flow labels of the sent links, then trains <c>n_epochs</c> epochs on the frame
/// pairs (t, t + 1), pausing while WAIT, taking a learning rate posted to <c>/params</c>, saving the model (temporary
/// name, then rename) and publishing "Model updated" after every epoch.
/// </summary>
internal sealed partial class FlowTrainingJob(
    ProcessStateMachine states,
    TrainingParameters parameters,
    ModelFiles models,
    IServerMessagePublisher publisher,
    JobActivity activity,
    ILogger<FlowTrainingJob> logger)
{
    /// <summary>Trains until the epochs are done.</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="voxelSize">The request's scales.</param>
    /// <param name="spots">The links by source timepoint.</param>
    /// <param name="settings">Keep-Z levels and norm factor.</param>
    /// <param name="options">Crops, epochs, learning rate, augmentation.</param>
    /// <param name="resizeFactor">input_size / image size (Z, Y, X): frames and labels are resampled by it (<see cref="FlowTrainingPair.Resize"/>).</param>
    /// <param name="cancellationToken">The abort token.</param>
    public void Run(string datasetFolder, string modelPath, VoxelSize voxelSize, SortedDictionary<int, List<FlowAnnotation>> spots, FlowSettings settings, FlowTrainingOptions options, (double Depth, double Height, double Width) resizeFactor, CancellationToken cancellationToken)
    {
        var pairs = new List<FlowTrainingPair>();
        try
        {
            var images = DatasetFrames.Open(datasetFolder, "imgs.zarr");
            foreach (var (t, annotations) in spots)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var label = FlowLabelWriter.Write(datasetFolder, t, voxelSize, annotations, settings.NormFactor, cancellationToken);
                using var current = DatasetFrames.Read(images, t, voxelSize, cancellationToken);
                using var next = DatasetFrames.Read(images, t + 1, voxelSize, cancellationToken);
                var pair = new FlowTrainingPair(Normalization.MinMaxToUnit(current), Normalization.MinMaxToUnit(next), label);
                if (resizeFactor == (1d, 1d, 1d))
                {
                    pairs.Add(pair);
                    continue;
                }

                try
                {
                    var resized = pair.Resize(resizeFactor);
                    pairs.Add(resized);
                    Log.Resampled(logger, resized.Current.Width, resized.Current.Height, resized.Current.Depth);
                }
                finally
                {
                    pair.Current.Dispose();
                    pair.Next.Dispose();
                    pair.Label.Dispose();
                }
            }

            using var model = models.LoadOrCreateFlow(modelPath);
            using var trainer = new FlowTrainer(model, settings.KeepAxialFlags, options with { NormFactor = settings.NormFactor });
            var hook = new TrainingStepHook(states, parameters, activity, () => trainer.LearningRate, lr => trainer.LearningRate = lr, logger, cancellationToken);
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                hook.BeginEpoch(epoch, options.Epochs);
                var loss = trainer.TrainEpoch(pairs, hook, cancellationToken);
                ModelFiles.Save(model, modelPath);
                Log.Epoch(logger, epoch, options.Epochs, loss);
                publisher.Publish(ServerQueues.Update, ServerMessages.ModelUpdated, logger);
            }
        }
        finally
        {
            foreach (var pair in pairs)
            {
                pair.Current.Dispose();
                pair.Next.Dispose();
                pair.Label.Dispose();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "Flow training pair resampled to input_size [{Width}, {Height}, {Depth}]")]
        public static partial void Resampled(ILogger logger, int width, int height, int depth);

        [LoggerMessage(EventId = 9400, Level = LogLevel.Information, Message = "Flow Train Epoch: {Epoch} of {Epochs}, mean loss {Loss:F6}; model saved")]
        public static partial void Epoch(ILogger logger, int epoch, int epochs, double loss);
    }
}
