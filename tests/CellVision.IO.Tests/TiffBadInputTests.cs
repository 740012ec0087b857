using System.Buffers.Binary;
using CellVision.IO.Tiff;

namespace CellVision.IO.Tests;

/// <summary>Damaged TIFF files fail with <see cref="TiffFormatException"/> naming the file and the page and tag, never with a crash.</summary>
public sealed class TiffBadInputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-tiff-bad-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void StripOffsetPastTheEndOfTheFileIsReported()
    {
        var path = WriteSample("offset.tif", TiffCompression.None);
        var bytes = File.ReadAllBytes(path);
        PatchTag(bytes, 273, 1_000_000);
        File.WriteAllBytes(path, bytes);
        using var tiff = TiffFile.Open(path);
        var exception = Assert.Throws<TiffFormatException>(() => tiff.ReadPage<ushort>(0));
        Assert.Equal(path, exception.Path);
        Assert.Contains("page 0, strip 0", exception.Field);
        Assert.Contains("past the end", exception.Message);
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        var path = WriteSample("truncated.tif", TiffCompression.Lzw);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
        var exception = Assert.ThrowsAny<TiffFormatException>(() =>
        {
            using var tiff = TiffFile.Open(path);
            tiff.ReadPage<ushort>(0);
        });
        Assert.Equal(path, exception.Path);
    }

    [Fact]
    public void DirectoryChainThatLoopsIsReported()
    {
        var path = WriteSample("loop.tif", TiffCompression.None);
        var bytes = File.ReadAllBytes(path);
        var ifd = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)ifd));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)ifd + 2 + (count * 12)), ifd);
        File.WriteAllBytes(path, bytes);
        var exception = Assert.Throws<TiffFormatException>(() => TiffFile.Open(path));
        Assert.Contains("loops", exception.Message);
    }

    [Fact]
    public void NotATiffAndUnsupportedCompressionAreReported()
    {
        var text = Path.Combine(folder, "text.tif");
        File.WriteAllText(text, "hello, not a tiff");
        Assert.Contains("'II' or 'MM'", Assert.Throws<TiffFormatException>(() => TiffFile.Open(text)).Message);

        var path = WriteSample("jpeg.tif", TiffCompression.None);
        var bytes = File.ReadAllBytes(path);
        PatchTag(bytes, 259, 7);
        File.WriteAllBytes(path, bytes);
        var exception = Assert.Throws<TiffFormatException>(() => TiffFile.Open(path));
        Assert.Contains("Compression", exception.Field);
    }

    [Fact]
    public void WrongSampleTypeIsAnArgumentError()
    {
        using var tiff = TiffFile.Open(WriteSample("type.tif", TiffCompression.Deflate));
        Assert.Throws<ArgumentException>(() => tiff.ReadPage<float>(0));
    }

    [Fact]
    public void FailedWriteLeavesNoFile()
    {
        var path = Path.Combine(folder, "bad.tif");
        Assert.Throws<ArgumentException>(() => TiffWriter.Write<ushort>(path, [new ushort[5]], 2, 2));
        Assert.Empty(Directory.GetFiles(folder));
    }

    private string WriteSample(string name, TiffCompression compression)
    {
        var path = Path.Combine(folder, name);
        var plane = Enumerable.Range(0, 32 * 16).Select(i => (ushort)(i * 37)).ToArray();
        TiffWriter.Write<ushort>(path, [plane], 32, 16, new TiffWriteOptions { Compression = compression });
        return path;
    }

    /// <summary>Overwrites the inline value of the first entry with <paramref name="tag"/> in the first directory of a little-endian TIFF.</summary>
    private static void PatchTag(byte[] bytes, int tag, uint value)
    {
        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(ifd));
        for (var i = 0; i < count; i++)
        {
            var entry = bytes.AsSpan(ifd + 2 + (i * 12), 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) == tag)
            {
                var type = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
                if (type == 3)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], value);
                }

                return;
            }
        }

        throw new InvalidOperationException($"Tag {tag} not found.");
    }
}
