using System.Buffers.Binary;
using System.Text;

namespace CellVision.Torch.Serialization;

/// <summary>
/// Writes an uncompressed zip whose entry data start at 64-byte boundaries, the layout PyTorch's own writer uses
/// (so readers can map tensors in place). Entries are limited to 4 GiB each and 65,535 in all (no zip64).
/// </summary>
internal sealed class StoredZipWriter(Stream output)
{
    private const int Alignment = 64;
    private const ushort PaddingHeaderId = 0x4643;
    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> entries = [];

    internal void Add(string name, ReadOnlySpan<byte> data)
    {
        if ((ulong)data.Length > uint.MaxValue || output.Position > uint.MaxValue || entries.Count == ushort.MaxValue)
        {
            throw new NotSupportedException("The .pth writer supports entries and files up to 4 GiB and 65,535 entries.");
        }

        var nameBytes = Encoding.UTF8.GetBytes(name);
        var offset = (uint)output.Position;
        var headerEnd = offset + 30 + nameBytes.Length;
        var padding = (int)((Alignment - ((headerEnd + 4) % Alignment)) % Alignment);
        var crc = CellVision.Core.Checksums.Crc32.Ieee.Compute(data);

        Span<byte> header = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0x0800);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], 0x21);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(4 + padding));
        output.Write(header);
        output.Write(nameBytes);

        Span<byte> extra = stackalloc byte[4 + Alignment];
        extra.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(extra, PaddingHeaderId);
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        output.Write(extra[..(4 + padding)]);
        output.Write(data);
        entries.Add((nameBytes, crc, (uint)data.Length, offset));
    }

    internal void Finish()
    {
        var directoryStart = output.Position;
        Span<byte> record = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in entries)
        {
            record.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(record, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(record[4..], 20);
            BinaryPrimitives.WriteUInt16LittleEndian(record[6..], 20);
            BinaryPrimitives.WriteUInt16LittleEndian(record[8..], 0x0800);
            BinaryPrimitives.WriteUInt16LittleEndian(record[14..], 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(record[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(record[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(record[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(record[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[42..], offset);
            output.Write(record);
            output.Write(name);
        }

        var directorySize = output.Position - directoryStart;
        Span<byte> end = stackalloc byte[22];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)directoryStart);
        output.Write(end);
    }
}
