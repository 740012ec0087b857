using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Server.Messaging;
using CellVision.Server.State;
using CellVision.Server.Status;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// The "Default" detection model reset with a dataset: ELEPHANT's random initialisation followed by its self-supervised
/// prior (<see cref="DetectionPrior"/>): three runs of <c>n_crops</c> crops from every frame, learning rates 1e-2, 1e-3,
/// 1e-4, each run saving the model and publishing "Model updated". Pauses while WAIT; an abort keeps the last saved run.
/// </summary>
internal sealed partial class DetectionPriorJob(ProcessStateMachine states, ModelFiles models, IServerMessagePublisher publisher, JobActivity activity, ILogger<DetectionPriorJob> logger)
{
    private static readonly double[] LearningRates = [1e-2, 1e-3, 1e-4];

    /// <summary>Creates the model and trains the prior.</summary>
    /// <param name="datasetFolder">The dataset whose frames are drawn from.</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="voxelSize">The request's scales.</param>
    /// <param name="keepAxialLevels">The request's <c>n_keep_axials</c>.</param>
    /// <param name="options">Crop size and crops per run.</param>
    /// <param name="cancellationToken">The abort token.</param>
    public void Run(string datasetFolder, string modelPath, VoxelSize voxelSize, int keepAxialLevels, PriorTrainingOptions options, CancellationToken cancellationToken)
    {
        using var model = models.Create();
        ModelFiles.Save(model, modelPath);
        var images = DatasetFrames.Open(datasetFolder, "imgs.zarr");
        var frames = new List<Volume<float>>();
        try
        {
            for (var t = 0; t < images.Shape[0]; t++)
            {
                using var raw = DatasetFrames.Read(images, t, voxelSize, cancellationToken);
                frames.Add(Normalization.MinMaxToUnit(raw));
            }

            var hook = new TrainingStepHook(states, new TrainingParameters(), activity, () => 0, _ => { }, logger, cancellationToken);
            for (var run = 0; run < LearningRates.Length; run++)
            {
                var lr = LearningRates[run];
                hook.BeginEpoch(run + 1, LearningRates.Length);
                var losses = DetectionPrior.Train(model, KeepAxials.FromLevels(keepAxialLevels), frames, options with { LearningRates = [lr] }, hook, cancellationToken);
                ModelFiles.Save(model, modelPath);
                Log.Run(logger, lr, losses.Count > 0 ? losses[0] : double.NaN);
                publisher.Publish(ServerQueues.Update, ServerMessages.ModelUpdated, logger);
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9500, Level = LogLevel.Information, Message = "Prior training run at learning rate {LearningRate}: mean loss {Loss:F6}; model saved")]
        public static partial void Run(ILogger logger, double learningRate, double loss);
    }
}
