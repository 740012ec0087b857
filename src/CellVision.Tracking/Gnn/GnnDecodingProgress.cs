namespace CellVision.Tracking;

/// <summary>Progress of a decoding run.</summary>
/// <param name="Stage">"solve" (the global decoder solved another independent part of the assignment) or "tracks" (building the tracks and the lineage graph).</param>
/// <param name="Done">Parts solved so far ("solve"), or 0 and then 1 ("tracks").</param>
/// <param name="Total">Parts to solve ("solve"), or 1 ("tracks").</param>
/// <param name="Elapsed">Time since decoding started.</param>
public readonly record struct GnnDecodingProgress(string Stage, int Done, int Total, TimeSpan Elapsed);
