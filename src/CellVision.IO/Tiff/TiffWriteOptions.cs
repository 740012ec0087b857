namespace CellVision.IO.Tiff;

/// <summary>How <see cref="TiffWriter"/> stores pages.</summary>
public sealed record TiffWriteOptions
{
    /// <summary>Compression (default none).</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.None;

    /// <summary>Apply horizontal differencing (predictor 2) before LZW or Deflate; integer samples only.</summary>
    public bool HorizontalPredictor { get; init; }

    /// <summary>Write "MM" (big-endian) instead of "II" (little-endian, the default).</summary>
    public bool BigEndian { get; init; }

    /// <summary>ImageJ hyperstack metadata to write as the ImageDescription of page 0; null writes none.</summary>
    public ImageJMetadata? ImageJ { get; init; }
}
