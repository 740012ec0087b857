namespace CellVision.Segmentation;

/// <summary>Progress of flood-filling inference, reported after every seed.</summary>
/// <param name="SeedsTried">Seeds handled so far (accepted, rejected or skipped).</param>
/// <param name="SeedCount">Seeds the seed policy proposed.</param>
/// <param name="SegmentCount">Objects accepted so far.</param>
/// <param name="Steps">Network steps (field-of-view predictions) run so far.</param>
public readonly record struct FloodFillProgress(int SeedsTried, int SeedCount, int SegmentCount, long Steps);
