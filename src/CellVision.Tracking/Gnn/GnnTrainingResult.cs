namespace CellVision.Tracking;

/// <summary>One epoch of <see cref="GnnTracker.Train"/>.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">Mean loss of the epoch's training batches.</param>
/// <param name="ValidationLoss">Mean loss of the validation batches (NaN without validation windows).</param>
/// <param name="ValidationAccuracy">Mean of the validation batches' accuracies, the reference's model-selection score (NaN without validation windows).</param>
public readonly record struct GnnEpoch(int Epoch, double TrainingLoss, double ValidationLoss, double ValidationAccuracy);

/// <summary>What <see cref="GnnTracker.Train"/> did.</summary>
/// <param name="Epochs">Every epoch run, in order.</param>
/// <param name="BestEpoch">
/// The epoch whose weights the tracker keeps: the best validation accuracy (with <see cref="GnnTrackerOptions.SkipTrivialEpochs"/>,
/// among the epochs above <see cref="TrivialValidationAccuracy"/>, or the last epoch when none is); the last epoch without validation.
/// </param>
/// <param name="TrainingGraphs">Training windows.</param>
/// <param name="ValidationGraphs">Validation windows.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record GnnTrainingResult(IReadOnlyList<GnnEpoch> Epochs, int BestEpoch, int TrainingGraphs, int ValidationGraphs, TimeSpan Elapsed)
{
    /// <summary>The validation accuracy of linking nothing (the share of negative candidate edges, batch-averaged as the accuracy); NaN without validation.</summary>
    public double TrivialValidationAccuracy { get; init; } = double.NaN;
}
