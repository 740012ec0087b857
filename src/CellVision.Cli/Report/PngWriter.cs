using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CellVision.Core.Checksums;

namespace CellVision.Cli.Report;

/// <summary>Writes 8-bit RGB PNG files (no filtering, zlib-compressed), enough for plots and projections.</summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    internal static void Write(string path, Canvas canvas)
    {
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(Signature);
            Span<byte> header = stackalloc byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, canvas.Width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], canvas.Height);
            header[8] = 8;  // bits per sample
            header[9] = 2;  // colour type: RGB
            WriteChunk(file, "IHDR", header);

            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var rowLength = canvas.Width * 3;
                for (var y = 0; y < canvas.Height; y++)
                {
                    zlib.WriteByte(0); // filter type "none"
                    zlib.Write(canvas.Pixels.AsSpan(y * rowLength, rowLength));
                }
            }

            WriteChunk(file, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
            WriteChunk(file, "IEND", []);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = Crc32.Ieee.Append(Crc32.Ieee.Compute(typeBytes), data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        stream.Write(crcBytes);
    }
}
