namespace CellVision.Networks;

/// <summary>Progress of a patch-wise prediction.</summary>
/// <param name="PatchesDone">Patches predicted so far.</param>
/// <param name="PatchCount">Patches in the frame.</param>
public readonly record struct PredictionProgress(int PatchesDone, int PatchCount);
