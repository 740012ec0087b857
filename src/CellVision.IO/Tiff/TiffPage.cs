namespace CellVision.IO.Tiff;

/// <summary>Kinds of TIFF sample (tag 339).</summary>
public enum TiffSampleFormat
{
    /// <summary>Unsigned integer (the default).</summary>
    UnsignedInteger = 1,

    /// <summary>Two's-complement signed integer.</summary>
    SignedInteger = 2,

    /// <summary>IEEE floating point.</summary>
    FloatingPoint = 3,
}

/// <summary>One page (image file directory) of a TIFF file: a grayscale plane stored in strips.</summary>
public sealed record TiffPage
{
    /// <summary>Position of the page in the file, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>Columns.</summary>
    public required int Width { get; init; }

    /// <summary>Rows.</summary>
    public required int Height { get; init; }

    /// <summary>Bits per sample: 8, 16 or 32.</summary>
    public required int BitsPerSample { get; init; }

    /// <summary>Unsigned, signed or floating point.</summary>
    public required TiffSampleFormat SampleFormat { get; init; }

    /// <summary>Compression scheme.</summary>
    public required TiffCompression Compression { get; init; }

    /// <summary>Predictor: 1 none, 2 horizontal differencing.</summary>
    public int Predictor { get; init; } = 1;

    /// <summary>Rows per strip.</summary>
    public required int RowsPerStrip { get; init; }

    /// <summary>File offset of each strip.</summary>
    public required long[] StripOffsets { get; init; }

    /// <summary>Stored size of each strip.</summary>
    public required long[] StripByteCounts { get; init; }

    /// <summary>The ImageDescription text (tag 270), or null.</summary>
    public string? Description { get; init; }

    /// <summary>Pixels per resolution unit along X (tag 282), or null.</summary>
    public double? XResolution { get; init; }

    /// <summary>Pixels per resolution unit along Y (tag 283), or null.</summary>
    public double? YResolution { get; init; }

    /// <summary>Resolution unit (tag 296): 1 none, 2 inch, 3 centimetre.</summary>
    public int ResolutionUnit { get; init; } = 2;

    /// <summary>Bytes per sample.</summary>
    public int BytesPerSample => BitsPerSample / 8;
}
