using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace CellVision.Torch.Serialization;

/// <summary>
/// Reads NumPy <c>.npz</c> archives (<c>np.savez</c> or <c>np.savez_compressed</c>): a zip of <c>.npy</c> arrays, each
/// a magic string, a header dict (<c>descr</c>, <c>fortran_order</c>, <c>shape</c>) and the raw little-endian data.
/// Float32, float64, int8–int64, uint8 and bool arrays in C order are read; anything else is refused with a
/// <see cref="NpzFormatException"/> naming the file and the array.
/// </summary>
public static partial class NpzFile
{
    /// <summary>Reads every array of an archive into CPU tensors, keyed by name without the <c>.npy</c> suffix.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <returns>The tensors; the caller disposes them.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NpzFormatException">The file is not a zip of <c>.npy</c> arrays, or an array has an unsupported type or layout.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The NumPy archive '{path}' does not exist.", path);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var name = entry.FullName[..^4];
                tensors[name] = ReadArray(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), path, name);
            }
        }
        catch (InvalidDataException e)
        {
            DisposeAll(tensors);
            throw new NpzFormatException($"'{path}' is not a NumPy .npz archive (not a readable zip file): {e.Message}", e);
        }
        catch
        {
            DisposeAll(tensors);
            throw;
        }

        return tensors;
    }

    private static Tensor ReadArray(ReadOnlySpan<byte> bytes, string path, string name)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes[1..6].SequenceEqual("NUMPY"u8))
        {
            throw new NpzFormatException($"Array '{name}' in '{path}' is not a .npy array (bad magic string).");
        }

        var major = bytes[6];
        var (headerLength, headerStart) = major == 1
            ? (bytes[8] | (bytes[9] << 8), 10)
            : (bytes.Length >= 12 ? (int)BitConverter.ToUInt32(bytes[8..12]) : -1, 12);
        if (headerLength < 0 || headerStart + headerLength > bytes.Length)
        {
            throw new NpzFormatException($"Array '{name}' in '{path}' has a truncated header.");
        }

        var header = System.Text.Encoding.Latin1.GetString(bytes.Slice(headerStart, headerLength));
        var descr = Field(DescrPattern(), header, path, name, "descr");
        if (Field(FortranPattern(), header, path, name, "fortran_order") != "False")
        {
            throw new NpzFormatException($"Array '{name}' in '{path}' is in Fortran order; save it in C order (np.ascontiguousarray).");
        }

        var shape = Field(ShapePattern(), header, path, name, "shape")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var data = bytes[(headerStart + headerLength)..];
        return descr switch
        {
            "<f4" => Build<float>(data, shape, path, name),
            "<f8" => Build<double>(data, shape, path, name),
            "<i8" => Build<long>(data, shape, path, name),
            "<i4" => Build<int>(data, shape, path, name),
            "<i2" => Build<short>(data, shape, path, name),
            "|i1" => Build<sbyte>(data, shape, path, name),
            "|u1" => Build<byte>(data, shape, path, name),
            "|b1" => Build<bool>(data, shape, path, name),
            _ => throw new NpzFormatException($"Array '{name}' in '{path}' has dtype '{descr}'; float32, float64, int8–int64, uint8 and bool (little-endian) are read."),
        };
    }

    private static Tensor Build<T>(ReadOnlySpan<byte> data, long[] shape, string path, string name)
        where T : unmanaged
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (data.Length < count * size)
        {
            throw new NpzFormatException($"Array '{name}' in '{path}' holds {data.Length} data bytes; its shape [{string.Join(", ", shape)}] needs {count * size}.");
        }

        return Tensor.FromSpan(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(data[..(int)(count * size)]), shape);
    }

    private static string Field(Regex pattern, string header, string path, string name, string field)
    {
        var match = pattern.Match(header);
        return match.Success ? match.Groups[1].Value : throw new NpzFormatException($"Array '{name}' in '{path}' has no '{field}' in its header.");
    }

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
