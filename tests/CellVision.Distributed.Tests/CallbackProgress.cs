namespace CellVision.Distributed.Tests;

/// <summary>Runs a handler for each report, on the reporting thread.</summary>
internal sealed class CallbackProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
