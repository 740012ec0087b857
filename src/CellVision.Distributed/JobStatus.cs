namespace CellVision.Distributed;

/// <summary>A saved job's state.</summary>
/// <param name="Total">Tasks in the plan.</param>
/// <param name="Done">Tasks finished.</param>
/// <param name="Attempts">Task starts so far, over all tasks (more than <paramref name="Done"/> after retries).</param>
/// <param name="IsComplete">Whether the final step ran.</param>
/// <param name="Missing">The tasks not finished.</param>
public sealed record JobStatus(int Total, int Done, int Attempts, bool IsComplete, IReadOnlyList<int> Missing);
