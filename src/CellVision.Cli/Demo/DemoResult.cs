using CellVision.Core.Annotations;

namespace CellVision.Cli.Demo;

/// <summary>What the demo produced: scores, the training loss curve, the tracks and where everything was written.</summary>
internal sealed record DemoResult
{
    public required string ReportPath { get; init; }

    public required IReadOnlyList<double> Losses { get; init; }

    public required IReadOnlyList<double> FlowLosses { get; init; }

    public required LineageGraph Tracks { get; init; }

    public required IReadOnlyList<(string Measure, double Value, string Meaning)> Scores { get; init; }

    public required TimeSpan Elapsed { get; init; }
}
