using CellVision.Networks;
using CellVision.Server.State;
using CellVision.Server.Status;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// Runs between training steps (it is the trainers' progress sink, and <see cref="BeginEpoch"/> runs before each
/// epoch): records the step's loss for the status page, waits while a prediction or update holds WAIT, stops on abort,
/// and applies a learning rate posted to <c>/params</c>.
/// </summary>
internal sealed partial class TrainingStepHook(ProcessStateMachine states, TrainingParameters parameters, JobActivity activity, Func<double> getLearningRate, Action<double> setLearningRate, ILogger logger, CancellationToken cancellationToken) : IProgress<TrainingProgress>
{
    /// <summary>Before an epoch (or run): records it for the status page, then waits, checks for abort and applies <c>/params</c>.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="epochs">Epochs in the job; 0 when open-ended (live).</param>
    public void BeginEpoch(int epoch, int epochs)
    {
        activity.BeginEpoch(epoch, epochs);
        Report(default);
    }

    public void Report(TrainingProgress value)
    {
        if (value.StepsPerEpoch > 0)
        {
            activity.StepDone(value.Step + 1, value.StepsPerEpoch, value.Loss);
        }

        states.WaitWhilePaused(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (parameters.LearningRate is double lr and > 0 && lr != getLearningRate())
        {
            setLearningRate(lr);
            Log.LearningRate(logger, lr);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9302, Level = LogLevel.Information, Message = "Learning rate set to {LearningRate} from /params")]
        public static partial void LearningRate(ILogger logger, double learningRate);
    }
}
