using System.Globalization;
using System.Text;

namespace CellVision.Server.Messaging;

/// <summary>
/// The message bodies of the ELEPHANT server, byte for byte: plain text for <see cref="ServerQueues.Update"/> and
/// <see cref="ServerQueues.Prediction"/>, JSON with Python's <c>json.dumps</c> spacing and ASCII escaping for
/// <see cref="ServerQueues.Dataset"/> and <see cref="ServerQueues.Log"/>.
/// </summary>
public static class ServerMessages
{
    /// <summary>The body published on <see cref="ServerQueues.Update"/> after a training epoch saved the model.</summary>
    public const string ModelUpdated = "Model updated";

    /// <summary>The body published on <see cref="ServerQueues.Prediction"/> after a detection prediction.</summary>
    public const string PredictionUpdated = "Prediction updated";

    /// <summary>The dataset generation progress body, e.g. <c>{"t_max": 10, "t_current": 3}</c>.</summary>
    /// <param name="timepointCount">The number of timepoints being converted.</param>
    /// <param name="timepointsDone">The number converted so far (1-based).</param>
    /// <returns>The JSON body.</returns>
    public static string DatasetProgress(int timepointCount, int timepointsDone) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"t_max\": {timepointCount}, \"t_current\": {timepointsDone}}}");

    /// <summary>A log record body, e.g. <c>{"level": "INFO", "message": "START POST /seg/train"}</c>.</summary>
    /// <param name="level">DEBUG, INFO, WARNING, ERROR or CRITICAL (the client ignores other levels).</param>
    /// <param name="message">The log text; non-ASCII characters are written as <c>\uXXXX</c> escapes.</param>
    /// <returns>The JSON body.</returns>
    public static string Log(string level, string message)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(message);
        var builder = new StringBuilder(message.Length + level.Length + 32);
        builder.Append("{\"level\": ");
        AppendPythonJsonString(builder, level);
        builder.Append(", \"message\": ");
        AppendPythonJsonString(builder, message);
        builder.Append('}');
        return builder.ToString();
    }

    // json.dumps(ensure_ascii=True): the five short escapes, \u00XX for other control characters, and \uXXXX
    // (UTF-16 code units, so surrogate pairs stay pairs) for everything beyond ASCII.
    private static void AppendPythonJsonString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
