namespace CellVision.Cli.Commands;

/// <summary>Runs a handler on the reporting thread, in order (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
