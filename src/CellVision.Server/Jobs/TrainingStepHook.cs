using CellVision.Networks;
using CellVision.Server.State;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// Runs before every training step (it is the trainers' progress sink, and is also called before each epoch): waits
/// while a prediction or update holds WAIT, stops on abort, and applies a learning rate posted to <c>/params</c>.
/// </summary>
internal sealed partial class TrainingStepHook(ProcessStateMachine states, TrainingParameters parameters, Func<double> getLearningRate, Action<double> setLearningRate, ILogger logger, CancellationToken cancellationToken) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
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
