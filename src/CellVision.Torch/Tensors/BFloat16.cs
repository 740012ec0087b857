namespace CellVision.Torch;

/// <summary>
/// A bfloat16 number: the upper 16 bits of an IEEE float32. Conversion from float rounds to nearest
/// even and keeps NaN a NaN, as libtorch does.
/// </summary>
/// <param name="Bits">The raw 16-bit pattern.</param>
public readonly record struct BFloat16(ushort Bits)
{
    /// <summary>Converts a float32 to the nearest bfloat16 (ties to even).</summary>
    /// <param name="value">The value to round.</param>
    public static explicit operator BFloat16(float value)
    {
        if (float.IsNaN(value))
        {
            return new BFloat16(0x7FC0);
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return new BFloat16((ushort)((bits + roundingBias) >> 16));
    }

    /// <summary>Widens a bfloat16 to float32 exactly.</summary>
    /// <param name="value">The value to widen.</param>
    public static implicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.Bits << 16);

    /// <inheritdoc />
    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
