namespace CellVision.Cli.Demo;

/// <summary>Hears what the demo is doing, to show progress.</summary>
internal interface IDemoObserver
{
    /// <summary>A step begins; <paramref name="units"/> is how many units of work it has (0 when unknown).</summary>
    void StepStarted(string step, int units);

    /// <summary>Some units of the current step are done (a running total).</summary>
    void StepAdvanced(int done, string? detail = null);

    /// <summary>The current step ended.</summary>
    void StepFinished(string step, double seconds, string summary);
}
