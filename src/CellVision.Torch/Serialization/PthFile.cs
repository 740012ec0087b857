using System.IO.Compression;
using System.Text;

namespace CellVision.Torch.Serialization;

/// <summary>
/// Reads and writes PyTorch's <c>.pth</c> zip format. Files from Python's <c>torch.save(model.state_dict())</c>
/// (or a list or dict of state dicts) load here; files saved here load in Python's <c>torch.load</c>.
/// Reading is safe: only tensors, dicts, lists, tuples, strings, numbers, booleans and None are accepted.
/// </summary>
/// <example>
/// <code>
/// using var weights = PthFile.LoadStateDict("unet.pth");
/// model.LoadStateDict(weights);
/// PthFile.Save("unet-finetuned.pth", model.StateDict());
/// </code>
/// </example>
public static class PthFile
{
    /// <summary>
    /// Loads any supported object: dicts become <see cref="IReadOnlyDictionary{TKey, TValue}"/> with string keys
    /// (insertion order kept), lists and tuples become <see cref="IReadOnlyList{T}"/>, tensors become CPU
    /// <see cref="Tensor"/>s, numbers become <see cref="long"/> or <see cref="double"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The object; the caller owns the tensors in it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PthFormatException">The file is corrupt, truncated, of an unsupported layout, or holds refused content.</exception>
    public static object? Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The .pth file '{path}' does not exist.", path);
        }

        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads any supported object from a stream (see <see cref="Load(string)"/>).</summary>
    /// <param name="stream">A seekable stream positioned at the start of the zip.</param>
    /// <param name="name">A name for error messages.</param>
    /// <returns>The object; the caller owns the tensors in it.</returns>
    public static object? Load(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException exception)
        {
            throw new PthFormatException(DescribeNonZip(stream, name), exception);
        }

        using (archive)
        {
            var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new PthFormatException($"{name}: no '<root>/data.pkl' entry; this is a zip but not a torch.save file.");
            var root = pickleEntry.FullName[..^"data.pkl".Length];
            var byteOrder = archive.GetEntry(root + "byteorder");
            if (byteOrder is not null && ReadEntry(byteOrder, name).AsSpan().SequenceEqual("big"u8))
            {
                throw new PthFormatException($"{name}: the tensors were saved big-endian; re-save them on a little-endian machine.");
            }

            var pickle = PickleReader.Read(ReadEntry(pickleEntry, name), $"{name}:{pickleEntry.FullName}");
            var builder = new TensorBuilder(archive, root, name);
            using var scope = DisposeScope.Enter();
            var result = builder.Convert(pickle);
            foreach (var tensor in builder.Created)
            {
                tensor.DetachFromDisposeScope();
            }

            return result;
        }
    }

    /// <summary>Loads a state dict: a file whose top level is a dict from names to tensors.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors, in file order; dispose it to release them.</returns>
    /// <exception cref="PthFormatException">The file is not a state dict, or is corrupt.</exception>
    public static StateDict LoadStateDict(string path) => ToStateDict(Load(path), path);

    /// <summary>
    /// Loads the state dict that a training checkpoint keeps under <paramref name="entry"/> of its top-level dict (as in
    /// <c>torch.save({'model_state_dict': …, 'optimizer_state_dict': …}, path)</c>); the file's other contents are read and
    /// released. A file whose top level is itself a state dict loads as well, so one call reads both layouts.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="entry">The key of the state dict, e.g. <c>model_state_dict</c>.</param>
    /// <returns>The tensors, in file order; dispose it to release them.</returns>
    /// <exception cref="PthFormatException">The file holds neither a state dict nor a dict with a state dict under <paramref name="entry"/>, or is corrupt.</exception>
    public static StateDict LoadStateDict(string path, string entry)
    {
        ArgumentException.ThrowIfNullOrEmpty(entry);
        var value = Load(path);
        if (value is IReadOnlyDictionary<string, object?> dict && dict.Values.Any(v => v is not Tensor))
        {
            if (!dict.TryGetValue(entry, out var inner) || inner is not IReadOnlyDictionary<string, object?>)
            {
                DisposeTensors(value);
                throw new PthFormatException($"{path}: the top level is neither a state dict nor a checkpoint with a state dict under '{entry}' (keys: {string.Join(", ", dict.Keys.Take(8))}).");
            }

            foreach (var (key, other) in dict)
            {
                if (key != entry)
                {
                    DisposeTensors(other);
                }
            }

            return ToStateDict(inner, $"{path}['{entry}']");
        }

        return ToStateDict(value, path);
    }

    /// <summary>Loads a file whose top level is a list of state dicts (for example one per model of an ensemble).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The state dicts; dispose each to release its tensors.</returns>
    /// <exception cref="PthFormatException">The file is not a list of state dicts, or is corrupt.</exception>
    public static IReadOnlyList<StateDict> LoadStateDictList(string path)
    {
        var value = Load(path);
        if (value is not IReadOnlyList<object?> list)
        {
            DisposeTensors(value);
            throw new PthFormatException($"{path}: the top level is not a list of state dicts.");
        }

        return list.Select((item, i) => ToStateDict(item, $"{path}[{i}]")).ToList();
    }

    /// <summary>Loads a file holding either one state dict or a list of them, as a list in both cases.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The state dicts, in file order; dispose each to release its tensors.</returns>
    /// <exception cref="PthFormatException">The file is neither a state dict nor a list of state dicts, or is corrupt.</exception>
    public static IReadOnlyList<StateDict> LoadStateDicts(string path)
    {
        var value = Load(path);
        return value is IReadOnlyList<object?> list
            ? list.Select((item, i) => ToStateDict(item, $"{path}[{i}]")).ToList()
            : [ToStateDict(value, path)];
    }

    /// <summary>
    /// Saves <paramref name="value"/> so that Python's <c>torch.load</c> reads it: a state dict, a dict with string keys,
    /// a list, a tensor, a string, an integer, a double, a boolean or null, nested freely. Dicts load as
    /// <c>collections.OrderedDict</c>, as state dicts do, except a <see cref="Dictionary{TKey, TValue}"/>, which loads as a
    /// plain <c>dict</c> (in insertion order). The file is written under a temporary name and renamed, so a failure
    /// leaves no half-written file.
    /// </summary>
    /// <param name="path">The destination; replaced if it exists.</param>
    /// <param name="value">What to save. Tensors are copied to the CPU.</param>
    /// <exception cref="ArgumentException">The value holds something that cannot be saved.</exception>
    public static void Save(string path, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Save(stream, value, Path.GetFileNameWithoutExtension(fullPath));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="value"/> to a stream (see <see cref="Save(string, object?)"/>).</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="value">What to save.</param>
    /// <param name="rootName">Name of the root folder inside the zip.</param>
    public static void Save(Stream stream, object? value, string rootName = "archive")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var root = string.IsNullOrWhiteSpace(rootName) ? "archive" : rootName;
        using var writer = new PickleWriter();
        var pickle = writer.Write(value);
        var zip = new StoredZipWriter(stream);
        zip.Add($"{root}/data.pkl", pickle);
        zip.Add($"{root}/byteorder", "little"u8);
        for (var i = 0; i < writer.Storages.Count; i++)
        {
            zip.Add($"{root}/data/{i}", writer.Storages[i]);
        }

        zip.Add($"{root}/version", Encoding.ASCII.GetBytes("3\n"));
        zip.Finish();
    }

    private static StateDict ToStateDict(object? value, string name)
    {
        if (value is not IReadOnlyDictionary<string, object?> dict || dict.Values.Any(v => v is not Tensor))
        {
            DisposeTensors(value);
            throw new PthFormatException($"{name}: the top level is not a state dict (a dict from names to tensors).");
        }

        var result = new StateDict();
        foreach (var (key, tensor) in dict)
        {
            result.Add(key, (Tensor)tensor!);
        }

        return result;
    }

    private static void DisposeTensors(object? value)
    {
        switch (value)
        {
            case Tensor tensor:
                tensor.Dispose();
                break;
            case IReadOnlyDictionary<string, object?> dict:
                foreach (var item in dict.Values) DisposeTensors(item);
                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list) DisposeTensors(item);
                break;
        }
    }

    internal static byte[] ReadEntry(ZipArchiveEntry entry, string name)
    {
        try
        {
            using var input = entry.Open();
            var buffer = new byte[entry.Length];
            input.ReadExactly(buffer);
            return buffer;
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new PthFormatException($"{name}: entry '{entry.FullName}' is corrupt or truncated ({exception.Message}).", exception);
        }
    }

    private static string DescribeNonZip(Stream stream, string name)
    {
        if (stream.CanSeek && stream.Length >= 2)
        {
            stream.Position = 0;
            var first = stream.ReadByte();
            if (first == 0x80)
            {
                return $"{name}: this is PyTorch's legacy (pre-1.6) serialization format, which is not supported; re-save it in Python with torch.save(obj, path).";
            }
        }

        return $"{name}: not a PyTorch .pth file (not a zip archive, or the archive is truncated).";
    }
}
