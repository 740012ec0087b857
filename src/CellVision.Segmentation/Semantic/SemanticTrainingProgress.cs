namespace CellVision.Segmentation;

/// <summary>Reported after every training step.</summary>
/// <param name="Step">The step just taken, counting resumed ones.</param>
/// <param name="Iterations">The steps to run in all.</param>
/// <param name="Loss">This step's loss.</param>
/// <param name="Elapsed">Time since this run started.</param>
/// <param name="ValidationDice">
/// After a validation, the Dice coefficient (F1) of each foreground class 1..K − 1 over the validation data (softmax
/// ≥ 0.5 against the labels, over mask ∧ metric mask; NaN where a class is absent from both); null otherwise.
/// </param>
public sealed record SemanticTrainingProgress(long Step, long Iterations, double Loss, TimeSpan Elapsed, IReadOnlyList<double>? ValidationDice = null);
