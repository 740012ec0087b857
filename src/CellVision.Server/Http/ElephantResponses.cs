using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CellVision.Server.Http;

/// <summary>
/// The server's JSON replies: compact, keys in alphabetical order as Flask's <c>jsonify</c> writes them, never NaN or
/// infinity (the client's parser refuses them), integers without a fraction.
/// </summary>
internal static class ElephantResponses
{
    /// <summary>A 200 reply written by <paramref name="write"/> (which writes one JSON value).</summary>
    /// <param name="write">Writes the value.</param>
    /// <param name="statusCode">The status (200 unless an error).</param>
    public static IResult Json(Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Results.Content(Encoding.UTF8.GetString(buffer.WrittenSpan), "application/json", Encoding.UTF8, statusCode);
    }

    /// <summary><c>{"error": message}</c> with a 400 or 500 status.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="message">The text the client shows.</param>
    public static IResult Error(int statusCode, string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        w.WriteEndObject();
    }, statusCode);

    /// <summary><c>{"completed": value}</c>.</summary>
    /// <param name="completed">Whether the job ran to its end.</param>
    public static IResult Completed(bool completed) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("completed", completed);
        w.WriteEndObject();
    });

    /// <summary>Writes a number; a non-finite value (which the client cannot parse) becomes 0.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    public static void WriteFiniteNumberValue(this Utf8JsonWriter writer, double value) => writer.WriteNumberValue(double.IsFinite(value) ? value : 0);

    /// <summary>Writes a named array of numbers, non-finite values as 0.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The key.</param>
    /// <param name="values">The values.</param>
    public static void WriteFiniteNumbers(this Utf8JsonWriter writer, string name, IEnumerable<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteFiniteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
