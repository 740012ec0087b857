namespace CellVision.Tests.Shared;

/// <summary>Collects progress reports on the reporting thread (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class SynchronousProgress<T>(List<T> reports) : IProgress<T>
{
    public void Report(T value)
    {
        lock (reports)
        {
            reports.Add(value);
        }
    }
}
