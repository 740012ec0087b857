using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CellVision.Server.Http;

/// <summary>
/// A JSON request body as the ELEPHANT client writes it (minimal-json: compact, and a Java double that holds a whole
/// number arrives as a JSON integer): typed field access that accepts integers wherever a number is expected and
/// answers a missing or mistyped field with 400 <c>{"error": ...}</c>.
/// </summary>
internal sealed class ElephantJsonRequest
{
    private readonly JsonElement root;

    private ElephantJsonRequest(JsonElement root) => this.root = root;

    /// <summary>Reads the body of a request whose media type must be <c>application/json</c> (parameters allowed).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<ElephantJsonRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            throw new ElephantRequestException("Content-Type should be application/json");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Parses a JSON object (the body, or the <c>data</c> part of a multipart request).</summary>
    /// <param name="json">UTF-8 JSON.</param>
    public static ElephantJsonRequest Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ElephantRequestException("The request body must be a JSON object.");
            }

            return new ElephantJsonRequest(document.RootElement.Clone());
        }
        catch (JsonException exception)
        {
            throw new ElephantRequestException($"The request body is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>Whether a content type is JSON (with or without parameters such as a charset).</summary>
    /// <param name="contentType">The header value.</param>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the key is present with a non-null value.</summary>
    /// <param name="key">The key.</param>
    public bool Has(string key) => root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A required string.</summary>
    /// <param name="key">The key.</param>
    public string String(string key) => Value(key) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw WrongType(key, "a string");

    /// <summary>An optional string (null when absent or null).</summary>
    /// <param name="key">The key.</param>
    public string? OptionalString(string key) => Has(key) ? String(key) : null;

    /// <summary>A required number (integers accepted).</summary>
    /// <param name="key">The key.</param>
    public double Double(string key) => ToDouble(Value(key), key);

    /// <summary>An optional number.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">The value when absent or null.</param>
    public double Double(string key, double fallback) => Has(key) ? Double(key) : fallback;

    /// <summary>A required integer (a number with a fraction is refused).</summary>
    /// <param name="key">The key.</param>
    public int Int(string key) => ToInt(Value(key), key);

    /// <summary>An optional integer.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">The value when absent or null.</param>
    public int Int(string key, int fallback) => Has(key) ? Int(key) : fallback;

    /// <summary>An optional boolean.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">The value when absent or null.</param>
    public bool Bool(string key, bool fallback) => !Has(key) ? fallback : Value(key).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongType(key, "true or false"),
    };

    /// <summary>An optional boolean that may be null.</summary>
    /// <param name="key">The key.</param>
    public bool? OptionalBool(string key) => Has(key) ? Bool(key, false) : null;

    /// <summary>A required array of <paramref name="count"/> numbers.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">The expected length.</param>
    public double[] Doubles(string key, int count) => Numbers(Value(key), key, count, ToDouble);

    /// <summary>A required array of <paramref name="count"/> integers.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">The expected length.</param>
    public int[] Ints(string key, int count) => Numbers(Value(key), key, count, ToInt);

    /// <summary>An optional array of <paramref name="count"/> integers.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">The expected length.</param>
    public int[]? OptionalInts(string key, int count) => Has(key) ? Ints(key, count) : null;

    /// <summary>A required array of integers of any length.</summary>
    /// <param name="key">The key.</param>
    public int[] Ints(string key) => Numbers(Value(key), key, -1, ToInt);

    /// <summary>A required array of objects.</summary>
    /// <param name="key">The key.</param>
    public IReadOnlyList<JsonElement> Objects(string key)
    {
        var value = Value(key);
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            throw WrongType(key, "an array of objects");
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>An array of numbers of a nested object (a spot), with the same rules.</summary>
    /// <param name="element">The object.</param>
    /// <param name="key">The key.</param>
    /// <param name="count">The expected length.</param>
    /// <param name="owner">The array it came from, for the message.</param>
    public static double[] NestedDoubles(JsonElement element, string key, int count, string owner) =>
        Numbers(NestedValue(element, key, owner), $"{owner}[].{key}", count, ToDouble);

    /// <summary>An integer of a nested object.</summary>
    /// <param name="element">The object.</param>
    /// <param name="key">The key.</param>
    /// <param name="owner">The array it came from, for the message.</param>
    public static int NestedInt(JsonElement element, string key, string owner) => ToInt(NestedValue(element, key, owner), $"{owner}[].{key}");

    /// <summary>A string of a nested object.</summary>
    /// <param name="element">The object.</param>
    /// <param name="key">The key.</param>
    /// <param name="owner">The array it came from, for the message.</param>
    public static string NestedString(JsonElement element, string key, string owner) =>
        NestedValue(element, key, owner) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw WrongType($"{owner}[].{key}", "a string");

    private static JsonElement NestedValue(JsonElement element, string key, string owner) =>
        element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw new ElephantRequestException($"{key} key is missing in an element of {owner}");

    private JsonElement Value(string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw new ElephantRequestException($"{key} key is missing");

    private static double ToDouble(JsonElement value, string key) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : throw WrongType(key, "a number");

    private static int ToInt(JsonElement value, string key)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out var integer))
            {
                return integer;
            }

            if (value.TryGetDouble(out var number) && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
            {
                return (int)number;
            }
        }

        throw WrongType(key, "an integer");
    }

    private static T[] Numbers<T>(JsonElement value, string key, int count, Func<JsonElement, string, T> convert)
    {
        if (value.ValueKind != JsonValueKind.Array || (count >= 0 && value.GetArrayLength() != count))
        {
            throw WrongType(key, count >= 0 ? $"an array of {count} numbers" : "an array of numbers");
        }

        return [.. value.EnumerateArray().Select(e => convert(e, key))];
    }

    private static ElephantRequestException WrongType(string key, string expected) => new($"{key} should be {expected}");
}
