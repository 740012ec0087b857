using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CellVision.IO.Zarr;

/// <summary>Kinds of Zarr element.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The kinds are the Zarr and NumPy dtype kinds (int, uint, float), the names users of Zarr know.")]
public enum ZarrElementKind
{
    /// <summary>Boolean, one byte.</summary>
    Bool,

    /// <summary>Signed integer.</summary>
    Int,

    /// <summary>Unsigned integer.</summary>
    UInt,

    /// <summary>IEEE floating point.</summary>
    Float,

    /// <summary>Fixed-length byte string (NumPy "|S<i>n</i>"), read and written as raw bytes.</summary>
    Bytes,
}

/// <summary>
/// A Zarr element type: kind, size and byte order, written as a NumPy typestr in v2 (<c>"&lt;u2"</c>, <c>"|b1"</c>,
/// <c>"&gt;f4"</c>) and as a name in v3 (<c>"uint16"</c>).
/// </summary>
/// <param name="Kind">Boolean, signed, unsigned or floating point.</param>
/// <param name="Size">Bytes per element: 1, 2, 4 or 8.</param>
/// <param name="BigEndian">Whether multi-byte elements are stored big-endian.</param>
public readonly record struct ZarrDataType(ZarrElementKind Kind, int Size, bool BigEndian = false)
{
    /// <summary>The NumPy typestr used in v2 metadata.</summary>
    public string TypeString => Kind switch
    {
        ZarrElementKind.Bool => "|b1",
        ZarrElementKind.Bytes => $"|S{Size}",
        _ when Size == 1 => $"|{KindChar}1",
        _ => $"{(BigEndian ? '>' : '<')}{KindChar}{Size}",
    };

    /// <summary>The v3 data type name ("uint16", "float32", "bool", …).</summary>
    public string V3Name => Kind switch
    {
        ZarrElementKind.Bool => "bool",
        ZarrElementKind.Int => $"int{Size * 8}",
        ZarrElementKind.UInt => $"uint{Size * 8}",
        ZarrElementKind.Bytes => $"r{Size * 8}",
        _ => $"float{Size * 8}",
    };

    private char KindChar => Kind switch { ZarrElementKind.Int => 'i', ZarrElementKind.UInt => 'u', ZarrElementKind.Float => 'f', _ => 'b' };

    /// <summary>The element type matching <typeparamref name="T"/>, little-endian.</summary>
    /// <typeparam name="T">bool, byte, sbyte, ushort, short, uint, int, ulong, long, Half, float or double.</typeparam>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a Zarr element type.</exception>
    public static ZarrDataType Of<T>()
        where T : unmanaged
    {
        var type = typeof(T);
        if (type == typeof(bool)) return new(ZarrElementKind.Bool, 1);
        if (type == typeof(byte)) return new(ZarrElementKind.UInt, 1);
        if (type == typeof(sbyte)) return new(ZarrElementKind.Int, 1);
        if (type == typeof(ushort)) return new(ZarrElementKind.UInt, 2);
        if (type == typeof(short)) return new(ZarrElementKind.Int, 2);
        if (type == typeof(uint)) return new(ZarrElementKind.UInt, 4);
        if (type == typeof(int)) return new(ZarrElementKind.Int, 4);
        if (type == typeof(ulong)) return new(ZarrElementKind.UInt, 8);
        if (type == typeof(long)) return new(ZarrElementKind.Int, 8);
        if (type == typeof(Half)) return new(ZarrElementKind.Float, 2);
        if (type == typeof(float)) return new(ZarrElementKind.Float, 4);
        if (type == typeof(double)) return new(ZarrElementKind.Float, 8);
        throw new NotSupportedException($"{type.Name} is not a Zarr element type.");
    }

    /// <summary>Parses a v2 NumPy typestr.</summary>
    /// <param name="typeString">For example "&lt;u2".</param>
    /// <param name="result">The element type.</param>
    /// <returns>Whether the typestr is supported.</returns>
    public static bool TryParseTypeString(string? typeString, out ZarrDataType result)
    {
        result = default;
        if (typeString is not { Length: >= 3 } || typeString[0] is not ('<' or '>' or '|' or '='))
        {
            return false;
        }

        if (!int.TryParse(typeString.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return false;
        }

        var kind = typeString[1] switch
        {
            'S' => ZarrElementKind.Bytes,
            'b' => ZarrElementKind.Bool,
            'i' => ZarrElementKind.Int,
            'u' => ZarrElementKind.UInt,
            'f' => ZarrElementKind.Float,
            _ => (ZarrElementKind?)null,
        };
        var valid = kind switch
        {
            ZarrElementKind.Bool => size == 1,
            ZarrElementKind.Bytes => size is >= 1 and <= 4096 && typeString[0] == '|',
            ZarrElementKind.Float => size is 2 or 4 or 8,
            null => false,
            _ => size is 1 or 2 or 4 or 8,
        };
        if (!valid)
        {
            return false;
        }

        result = new ZarrDataType(kind!.Value, size, typeString[0] == '>' && size > 1);
        return true;
    }

    /// <summary>Parses a v3 data type name.</summary>
    /// <param name="name">For example "uint16".</param>
    /// <param name="result">The element type (little-endian; the bytes codec sets the order).</param>
    /// <returns>Whether the name is supported.</returns>
    public static bool TryParseV3Name(string? name, out ZarrDataType result)
    {
        result = name switch
        {
            "bool" => new(ZarrElementKind.Bool, 1),
            "int8" => new(ZarrElementKind.Int, 1),
            "int16" => new(ZarrElementKind.Int, 2),
            "int32" => new(ZarrElementKind.Int, 4),
            "int64" => new(ZarrElementKind.Int, 8),
            "uint8" => new(ZarrElementKind.UInt, 1),
            "uint16" => new(ZarrElementKind.UInt, 2),
            "uint32" => new(ZarrElementKind.UInt, 4),
            "uint64" => new(ZarrElementKind.UInt, 8),
            "float16" => new(ZarrElementKind.Float, 2),
            "float32" => new(ZarrElementKind.Float, 4),
            "float64" => new(ZarrElementKind.Float, 8),
            _ => default,
        };
        return result.Size != 0;
    }

    /// <summary>Whether values of this type are read as <typeparamref name="T"/> (same kind and size; byte order aside).</summary>
    /// <typeparam name="T">A .NET element type.</typeparam>
    public bool Matches<T>()
        where T : unmanaged
    {
        if (Kind == ZarrElementKind.Bytes)
        {
            return false;
        }

        var other = Of<T>();
        return other.Kind == Kind && other.Size == Size;
    }

    /// <summary>Reverses the bytes of each element in place (big-endian ↔ little-endian).</summary>
    /// <param name="data">Whole elements of this type.</param>
    internal void SwapBytes(Span<byte> data)
    {
        switch (Size)
        {
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(data), MemoryMarshal.Cast<byte, ushort>(data)); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(data), MemoryMarshal.Cast<byte, uint>(data)); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(data), MemoryMarshal.Cast<byte, ulong>(data)); break;
        }
    }

    /// <inheritdoc />
    public override string ToString() => TypeString;
}
