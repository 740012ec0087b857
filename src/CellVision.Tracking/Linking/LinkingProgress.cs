namespace CellVision.Tracking;

/// <summary>Progress of a linking run over several timepoints, reported after each timepoint.</summary>
/// <param name="Timepoint">The timepoint just linked (to its predecessors).</param>
/// <param name="TimepointsDone">Timepoints linked so far.</param>
/// <param name="TimepointCount">Timepoints the run links.</param>
/// <param name="SoFar">What the run has changed so far.</param>
public readonly record struct LinkingProgress(int Timepoint, int TimepointsDone, int TimepointCount, LinkingResult SoFar);
