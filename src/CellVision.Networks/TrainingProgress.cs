namespace CellVision.Networks;

/// <summary>Progress of detection training after an optimiser step.</summary>
/// <param name="Epoch">Epoch of the step (0-based).</param>
/// <param name="Step">Step within the epoch (0-based).</param>
/// <param name="StepsPerEpoch">Steps in an epoch.</param>
/// <param name="Loss">Loss of the step.</param>
public readonly record struct TrainingProgress(int Epoch, int Step, int StepsPerEpoch, double Loss);
