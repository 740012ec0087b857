namespace CellVision.IO.Tiff;

/// <summary>TIFF compression schemes CellVision reads and writes (tag 259 values).</summary>
public enum TiffCompression
{
    /// <summary>Uncompressed.</summary>
    None = 1,

    /// <summary>Lempel-Ziv-Welch, TIFF variant (MSB-first codes, early width change).</summary>
    Lzw = 5,

    /// <summary>zlib streams ("Adobe Deflate").</summary>
    Deflate = 8,

    /// <summary>PackBits run-length encoding.</summary>
    PackBits = 32773,
}
