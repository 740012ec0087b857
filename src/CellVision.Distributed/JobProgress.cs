namespace CellVision.Distributed;

/// <summary>Where a whole job stands.</summary>
/// <param name="Total">Tasks in the plan.</param>
/// <param name="Done">Tasks finished (including those finished by earlier runs).</param>
/// <param name="Running">Tasks started and not yet finished (for Slurm: submitted and not finished).</param>
/// <param name="Failed">Tasks that failed every allowed attempt.</param>
/// <param name="Retries">Attempts made again after a failure or a lost worker.</param>
public readonly record struct JobProgress(int Total, int Done, int Running, int Failed, int Retries);
