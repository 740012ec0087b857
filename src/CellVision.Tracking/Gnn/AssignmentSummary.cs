namespace CellVision.Tracking;

/// <summary>How the global assignment was solved.</summary>
/// <param name="IsOptimal">Whether the solver proved every part optimal (false when a part stopped at the time limit).</param>
/// <param name="Objective">The assignment's cost in log-odds units (nats), as the solver scored it.</param>
/// <param name="Bound">The best proven lower bound on the cost; equal to <paramref name="Objective"/> when optimal.</param>
/// <param name="SolveTime">Wall time spent in the solver, all parts together.</param>
/// <param name="EdgesConsidered">Candidate edges that entered the model (the others cannot be in an optimal assignment or fall below the threshold).</param>
/// <param name="Variables">Boolean variables of the model.</param>
public sealed record AssignmentSummary(bool IsOptimal, double Objective, double Bound, TimeSpan SolveTime, int EdgesConsidered, int Variables);
