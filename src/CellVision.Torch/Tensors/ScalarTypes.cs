namespace CellVision.Torch;

/// <summary>Maps .NET element types to <see cref="ScalarType"/> and tells element sizes.</summary>
public static class ScalarTypes
{
    /// <summary>The <see cref="ScalarType"/> stored for elements of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">float, double, Half, BFloat16, long, int, short, sbyte, byte or bool.</typeparam>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no tensor element type.</exception>
    public static ScalarType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return ScalarType.Float32;
        if (typeof(T) == typeof(double)) return ScalarType.Float64;
        if (typeof(T) == typeof(Half)) return ScalarType.Float16;
        if (typeof(T) == typeof(BFloat16)) return ScalarType.BFloat16;
        if (typeof(T) == typeof(long)) return ScalarType.Int64;
        if (typeof(T) == typeof(int)) return ScalarType.Int32;
        if (typeof(T) == typeof(short)) return ScalarType.Int16;
        if (typeof(T) == typeof(sbyte)) return ScalarType.Int8;
        if (typeof(T) == typeof(byte)) return ScalarType.UInt8;
        if (typeof(T) == typeof(bool)) return ScalarType.Bool;
        throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type; use float, double, Half, BFloat16, long, int, short, sbyte, byte or bool.");
    }

    /// <summary>The size in bytes of one element of <paramref name="type"/>.</summary>
    /// <param name="type">The element type.</param>
    public static int ElementSize(this ScalarType type) => type switch
    {
        ScalarType.UInt8 or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown scalar type."),
    };

    /// <summary>Whether <paramref name="type"/> is a floating-point type (the only ones that carry gradients).</summary>
    /// <param name="type">The element type.</param>
    public static bool IsFloatingPoint(this ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;
}
