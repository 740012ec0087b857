namespace CellVision.Segmentation;

/// <summary>Reported after each block is written: it can be recorded to resume an interrupted prediction.</summary>
/// <param name="Block">The index of the block just written.</param>
/// <param name="Written">Blocks written in this run.</param>
/// <param name="Remaining">Blocks this run still has to write.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record SemanticPredictionProgress(int Block, int Written, int Remaining, TimeSpan Elapsed);
