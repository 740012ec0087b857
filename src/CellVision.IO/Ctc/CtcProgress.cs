namespace CellVision.IO.Ctc;

/// <summary>Progress of a Cell Tracking Challenge export, import or evaluation: a stage and how much of it is done.</summary>
/// <param name="Stage">What is being done, e.g. "matching frames", "writing masks".</param>
/// <param name="Done">Items (frames or files) finished in this stage.</param>
/// <param name="Total">Items in this stage.</param>
public readonly record struct CtcProgress(string Stage, int Done, int Total);
