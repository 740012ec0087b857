using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CellVision.Segmentation;

/// <summary>
/// Reads and writes <see cref="FloodFillCoordinateSet"/> files: a small header, then 16 bytes per coordinate, so tens
/// of millions of centres take hundreds of megabytes and any record can be found by its index (the reference writes
/// a GZIP TFRecord of protobuf <c>Example</c>s instead).
/// </summary>
/// <remarks>
/// Layout, every number little-endian:
/// <code>
/// offset  size  field
///      0     8  magic, the ASCII bytes "CVFFNCRD"
///      8     4  int32 version, 1
///     12     4  int32 V, the number of volumes (1 … 1,048,576)
///     16     4  int32 P, the number of partition values (0 … 255)
///     20     8  int64 N, the number of coordinates (0 … 2,147,483,591)
///     28        V volumes: int32 depth, height, width (each ≥ 1), int32 name length in bytes (0 … 65,536), UTF-8 name
///               P partitions: int32 value (0 … 254, each once), int64 voxel count (≥ 0)
///               N coordinates: int32 volume index, z, y, x (inside that volume's shape)
/// </code>
/// The file ends after the last coordinate. Files are written under a temporary name and renamed when complete.
/// </remarks>
public static class FloodFillCoordinateFile
{
    /// <summary>The format version this class writes and reads.</summary>
    public const int Version = 1;

    private const int MaxVolumes = 1 << 20;
    private const int MaxNameBytes = 1 << 16;
    private const int RecordSize = 16;
    private const int RecordsPerBlock = 1 << 16;
    private static ReadOnlySpan<byte> Magic => "CVFFNCRD"u8;

    /// <summary>Writes a coordinate set.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="coordinates">The set to write.</param>
    /// <param name="cancellationToken">Stops between blocks of records; nothing is left at <paramref name="path"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A volume name is longer than 65,536 UTF-8 bytes or a volume has no voxel.</exception>
    public static void Write(string path, FloodFillCoordinateSet coordinates, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(coordinates);
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(coordinates.Volumes.Count);
                writer.Write(coordinates.PartitionCounts.Count);
                writer.Write((long)coordinates.Coordinates.Count);
                foreach (var volume in coordinates.Volumes)
                {
                    var name = Encoding.UTF8.GetBytes(volume.Name);
                    if (name.Length > MaxNameBytes || volume.Depth < 1 || volume.Height < 1 || volume.Width < 1)
                    {
                        throw new ArgumentException($"Volume '{volume.Name}' needs a name of at most {MaxNameBytes} UTF-8 bytes and at least one voxel.", nameof(coordinates));
                    }

                    writer.Write(volume.Depth);
                    writer.Write(volume.Height);
                    writer.Write(volume.Width);
                    writer.Write(name.Length);
                    writer.Write(name);
                }

                foreach (var (value, count) in coordinates.PartitionCounts.OrderBy(p => p.Key))
                {
                    writer.Write((int)value);
                    writer.Write(count);
                }

                writer.Flush();
                WriteRecords(stream, coordinates.Coordinates, cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads a coordinate set, checking every field.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops between blocks of records.</param>
    /// <returns>The volumes, coordinates and partition counts.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a coordinate file of this version, is truncated or too long, or holds a value out of range.</exception>
    public static FloodFillCoordinateSet Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var reader = new HeaderReader(stream, path);
        Span<byte> magic = stackalloc byte[8];
        if (stream.ReadAtLeast(magic, 8, throwOnEndOfStream: false) != 8 || !magic.SequenceEqual(Magic))
        {
            throw reader.Invalid("it does not start with \"CVFFNCRD\"; it is not a flood-filling coordinate file");
        }

        var version = reader.Int32("version");
        if (version != Version)
        {
            throw reader.Invalid($"its version is {version}; this reader knows version {Version}");
        }

        var volumeCount = reader.Int32("volume count", 1, MaxVolumes);
        var partitionCount = reader.Int32("partition count", 0, 255);
        var recordCount = reader.Int64("coordinate count", 0, Array.MaxLength);
        var volumes = new List<FloodFillCoordinateVolume>(volumeCount);
        for (var v = 0; v < volumeCount; v++)
        {
            var depth = reader.Int32($"volume {v} depth", 1, int.MaxValue);
            var height = reader.Int32($"volume {v} height", 1, int.MaxValue);
            var width = reader.Int32($"volume {v} width", 1, int.MaxValue);
            var name = reader.Utf8($"volume {v} name", reader.Int32($"volume {v} name length", 0, MaxNameBytes));
            volumes.Add(new FloodFillCoordinateVolume(name, depth, height, width));
        }

        var counts = new Dictionary<byte, long>(partitionCount);
        for (var p = 0; p < partitionCount; p++)
        {
            var value = (byte)reader.Int32($"partition {p} value", 0, FloodFillPartitions.Excluded - 1);
            if (!counts.TryAdd(value, reader.Int64($"partition {value} count", 0, long.MaxValue)))
            {
                throw reader.Invalid($"partition value {value} appears twice");
            }
        }

        var expected = stream.Position + (recordCount * RecordSize);
        if (stream.Length != expected)
        {
            throw reader.Invalid($"it holds {stream.Length} bytes, but its header announces {recordCount} coordinates, i.e. {expected} bytes");
        }

        var records = new FloodFillCoordinate[recordCount];
        ReadRecords(stream, records, reader, cancellationToken);
        for (var i = 0; i < records.Length; i++)
        {
            if (!FloodFillCoordinateSet.IsInside(records[i], volumes))
            {
                throw reader.Invalid($"coordinate {i}, {records[i]}, lies outside volume {records[i].Volume}'s shape or names a volume it does not list");
            }
        }

        return new FloodFillCoordinateSet(volumes, records, counts, checkCoordinates: false);
    }

    private static void WriteRecords(Stream stream, IReadOnlyList<FloodFillCoordinate> coordinates, CancellationToken cancellationToken)
    {
        var block = new FloodFillCoordinate[RecordsPerBlock];
        for (var start = 0; start < coordinates.Count; start += RecordsPerBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(RecordsPerBlock, coordinates.Count - start);
            for (var i = 0; i < length; i++)
            {
                block[i] = coordinates[start + i];
            }

            var integers = MemoryMarshal.Cast<FloodFillCoordinate, int>(block.AsSpan(0, length));
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(integers, integers);
            }

            stream.Write(MemoryMarshal.AsBytes(integers));
        }
    }

    private static void ReadRecords(Stream stream, FloodFillCoordinate[] records, HeaderReader reader, CancellationToken cancellationToken)
    {
        for (var start = 0; start < records.Length; start += RecordsPerBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var integers = MemoryMarshal.Cast<FloodFillCoordinate, int>(records.AsSpan(start, Math.Min(RecordsPerBlock, records.Length - start)));
            if (stream.ReadAtLeast(MemoryMarshal.AsBytes(integers), integers.Length * sizeof(int), throwOnEndOfStream: false) != integers.Length * sizeof(int))
            {
                throw reader.Invalid("it ends inside the coordinates");
            }

            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(integers, integers);
            }
        }
    }

    /// <summary>Reads header fields and names the file and the field in every error.</summary>
    private sealed class HeaderReader(Stream stream, string path)
    {
        private readonly byte[] buffer = new byte[8];

        public int Int32(string field, int min = int.MinValue, int max = int.MaxValue)
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(Bytes(field, 4));
            return value >= min && value <= max ? value : throw Invalid($"its {field} is {value}, outside [{min}, {max}]");
        }

        public long Int64(string field, long min, long max)
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(Bytes(field, 8));
            return value >= min && value <= max ? value : throw Invalid($"its {field} is {value}, outside [{min}, {max}]");
        }

        public string Utf8(string field, int length)
        {
            var bytes = new byte[length];
            if (stream.ReadAtLeast(bytes, length, throwOnEndOfStream: false) != length)
            {
                throw Invalid($"it ends inside the {field}");
            }

            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Invalid($"its {field} is not valid UTF-8");
            }
        }

        public InvalidDataException Invalid(string problem) => new($"'{path}' cannot be read as flood-filling coordinates: {problem}.");

        private ReadOnlySpan<byte> Bytes(string field, int count)
        {
            if (stream.ReadAtLeast(buffer.AsSpan(0, count), count, throwOnEndOfStream: false) != count)
            {
                throw Invalid($"it ends inside the {field}");
            }

            return buffer.AsSpan(0, count);
        }
    }
}
