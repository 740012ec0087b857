namespace CellVision.Core.Checksums;

/// <summary>
/// Table-driven reflected CRC-32 with a chosen polynomial: <see cref="Ieee"/> (zip, gzip, PNG) and
/// <see cref="Castagnoli"/> (CRC-32C, Zarr v3's <c>crc32c</c> codec, iSCSI).
/// </summary>
public sealed class Crc32
{
    private readonly uint[] table = new uint[256];

    private Crc32(uint reflectedPolynomial)
    {
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? reflectedPolynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected 0xEDB88320); "123456789" gives 0xCBF43926.</summary>
    public static Crc32 Ieee { get; } = new(0xEDB88320u);

    /// <summary>CRC-32C (Castagnoli, reflected 0x82F63B78); "123456789" gives 0xE3069283.</summary>
    public static Crc32 Castagnoli { get; } = new(0x82F63B78u);

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues checksum <paramref name="crc"/> (of earlier bytes) over <paramref name="data"/>.</summary>
    /// <param name="crc">The checksum so far (0 to start).</param>
    /// <param name="data">The next bytes.</param>
    public uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }
}
