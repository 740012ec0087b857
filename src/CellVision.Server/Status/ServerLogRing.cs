using Microsoft.Extensions.Logging;

namespace CellVision.Server.Status;

/// <summary>The last <see cref="Capacity"/> log records of the server, for the status page. Thread-safe.</summary>
internal sealed class ServerLogRing
{
    /// <summary>How many records are kept.</summary>
    public const int Capacity = 200;

    private readonly Lock gate = new();
    private readonly Queue<Entry> entries = new();
    private long sequence;

    /// <summary>Appends a record, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    /// <param name="level">The level.</param>
    /// <param name="category">The logger's category.</param>
    /// <param name="message">The formatted message (with the exception's message, if any).</param>
    public void Add(LogLevel level, string category, string message)
    {
        lock (gate)
        {
            if (entries.Count == Capacity)
            {
                entries.Dequeue();
            }

            entries.Enqueue(new Entry(++sequence, DateTimeOffset.UtcNow, level, category, message));
        }
    }

    /// <summary>The kept records, oldest first.</summary>
    public Entry[] Read()
    {
        lock (gate)
        {
            return [.. entries];
        }
    }

    /// <summary>One record.</summary>
    /// <param name="Sequence">Its number since the start (from 1).</param>
    /// <param name="Time">When it was logged (UTC).</param>
    /// <param name="Level">Its level.</param>
    /// <param name="Category">The logger's category.</param>
    /// <param name="Message">The message.</param>
    internal sealed record Entry(long Sequence, DateTimeOffset Time, LogLevel Level, string Category, string Message);
}
