namespace CellVision.IO.Tiff;

/// <summary>Maps .NET sample types to TIFF BitsPerSample and SampleFormat.</summary>
internal static class TiffSampleTypes
{
    internal static (int Bits, TiffSampleFormat Format) Of<T>()
        where T : unmanaged
    {
        var type = typeof(T);
        if (type == typeof(byte)) return (8, TiffSampleFormat.UnsignedInteger);
        if (type == typeof(sbyte)) return (8, TiffSampleFormat.SignedInteger);
        if (type == typeof(ushort)) return (16, TiffSampleFormat.UnsignedInteger);
        if (type == typeof(short)) return (16, TiffSampleFormat.SignedInteger);
        if (type == typeof(uint)) return (32, TiffSampleFormat.UnsignedInteger);
        if (type == typeof(int)) return (32, TiffSampleFormat.SignedInteger);
        if (type == typeof(float)) return (32, TiffSampleFormat.FloatingPoint);
        throw new NotSupportedException($"{type.Name} is not a TIFF sample type; use byte, sbyte, ushort, short, uint, int or float.");
    }
}
