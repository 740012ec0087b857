using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CellVision.IO.Zarr;

/// <summary>
/// Converts Zarr fill values between JSON (numbers, <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>, booleans,
/// <c>null</c>) and the bytes of one little-endian element.
/// </summary>
internal static class ZarrFillValue
{
    /// <summary>The little-endian bytes of <paramref name="node"/> as one element of <paramref name="type"/>; zeros for null.</summary>
    internal static byte[] ToBytes(JsonNode? node, ZarrDataType type, string path)
    {
        var bytes = new byte[type.Size];
        if (node is null)
        {
            return bytes;
        }

        Span<byte> wide = stackalloc byte[8];
        try
        {
            using var document = JsonDocument.Parse(node.ToJsonString());
            var element = document.RootElement;
            switch (type.Kind)
            {
                case ZarrElementKind.Bytes:
                    // zarr-python stores byte-string fill values base64-encoded ("MA==" is b"0").
                    var decoded = element.ValueKind == JsonValueKind.String ? Convert.FromBase64String(element.GetString()!) : throw Invalid(path, node, type);
                    decoded.AsSpan(0, Math.Min(decoded.Length, bytes.Length)).CopyTo(bytes);
                    break;
                case ZarrElementKind.Bool:
                    bytes[0] = element.ValueKind switch
                    {
                        JsonValueKind.True => 1,
                        JsonValueKind.False => 0,
                        JsonValueKind.Number => element.GetDouble() != 0 ? (byte)1 : (byte)0,
                        _ => throw Invalid(path, node, type),
                    };
                    break;
                case ZarrElementKind.Float:
                    var value = element.ValueKind switch
                    {
                        JsonValueKind.Number => element.GetDouble(),
                        JsonValueKind.String => element.GetString() switch
                        {
                            "NaN" => double.NaN,
                            "Infinity" => double.PositiveInfinity,
                            "-Infinity" => double.NegativeInfinity,
                            var s when s is not null && s.StartsWith("0x", StringComparison.Ordinal) => FromHexBits(s, type),
                            _ => throw Invalid(path, node, type),
                        },
                        _ => throw Invalid(path, node, type),
                    };
                    WriteFloat(bytes, value, type.Size);
                    break;
                case ZarrElementKind.UInt:
                    var unsigned = element.TryGetUInt64(out var u) ? u : element.TryGetDouble(out var d) && d >= 0 && d == Math.Floor(d) ? (ulong)d : throw Invalid(path, node, type);
                    CheckRange(unsigned <= MaxUnsigned(type.Size), path, node, type);
                    BinaryPrimitives.WriteUInt64LittleEndian(wide, unsigned);
                    wide[..type.Size].CopyTo(bytes);
                    break;
                default:
                    var signed = element.TryGetInt64(out var l) ? l : element.TryGetDouble(out var ds) && ds == Math.Floor(ds) ? (long)ds : throw Invalid(path, node, type);
                    var limit = 1L << ((type.Size * 8) - 1);
                    CheckRange(type.Size == 8 || (signed >= -limit && signed < limit), path, node, type);
                    BinaryPrimitives.WriteInt64LittleEndian(wide, signed);
                    wide[..type.Size].CopyTo(bytes);
                    break;
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            throw Invalid(path, node, type, exception);
        }

        return bytes;
    }

    /// <summary>The JSON form of a fill value given as a double (or NaN/±∞) for <paramref name="type"/>.</summary>
    internal static JsonNode? ToJson(double? value, ZarrDataType type)
    {
        if (value is not { } v)
        {
            return null;
        }

        return type.Kind switch
        {
            ZarrElementKind.Bytes => JsonValue.Create(Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(v.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            ZarrElementKind.Bool => JsonValue.Create(v != 0),
            ZarrElementKind.Float when double.IsNaN(v) => JsonValue.Create("NaN"),
            ZarrElementKind.Float when double.IsPositiveInfinity(v) => JsonValue.Create("Infinity"),
            ZarrElementKind.Float when double.IsNegativeInfinity(v) => JsonValue.Create("-Infinity"),
            ZarrElementKind.Float => JsonValue.Create(v),
            ZarrElementKind.UInt => JsonValue.Create((ulong)v),
            _ => JsonValue.Create((long)v),
        };
    }

    /// <summary>Writes a float; NaN becomes the positive quiet NaN that NumPy's <c>np.nan</c> has (.NET's NaN has the sign bit set).</summary>
    private static void WriteFloat(Span<byte> bytes, double value, int size)
    {
        if (double.IsNaN(value))
        {
            switch (size)
            {
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes, 0x7E00); break;
                case 4: BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x7FC00000); break;
                default: BinaryPrimitives.WriteUInt64LittleEndian(bytes, 0x7FF8000000000000); break;
            }

            return;
        }

        switch (size)
        {
            case 2: BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value); break;
            case 4: BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value); break;
            default: BinaryPrimitives.WriteDoubleLittleEndian(bytes, value); break;
        }
    }

    private static double FromHexBits(string text, ZarrDataType type)
    {
        var bits = Convert.ToUInt64(text[2..], 16);
        return type.Size switch
        {
            2 => (double)BitConverter.UInt16BitsToHalf((ushort)bits),
            4 => BitConverter.UInt32BitsToSingle((uint)bits),
            _ => BitConverter.UInt64BitsToDouble(bits),
        };
    }

    private static ulong MaxUnsigned(int size) => size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    private static void CheckRange(bool ok, string path, JsonNode node, ZarrDataType type)
    {
        if (!ok)
        {
            throw Invalid(path, node, type);
        }
    }

    private static ZarrFormatException Invalid(string path, JsonNode node, ZarrDataType type, Exception? inner = null) =>
        new(path, "fill_value", $"is {node.ToJsonString()}, which is not a valid {type.TypeString} value (expected a number in range, \"NaN\", \"Infinity\", \"-Infinity\" or null).", inner);
}
