namespace CellVision.IO.Stores;

/// <summary>
/// A key → bytes store on a file system folder, as zarr-python's DirectoryStore. Keys use '/' and may not leave the
/// folder ("..", absolute paths and backslashes are refused). Writes go to a temporary file that is then renamed,
/// so readers never see a half-written value.
/// </summary>
public sealed class DirectoryStore
{
    /// <summary>Opens (or prepares) the store at <paramref name="root"/>.</summary>
    /// <param name="root">The folder.</param>
    public DirectoryStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    /// <summary>The file that holds <paramref name="key"/>.</summary>
    /// <param name="key">A relative key such as "0.1.2" or "labels/.zattrs".</param>
    /// <exception cref="ArgumentException">The key is empty or escapes the store.</exception>
    public string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Contains('\\') || key.StartsWith('/') || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"The key '{key}' is not a plain relative path inside the store (no '..', '.', empty parts, '\\' or leading '/').", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The key '{key}' leaves the store {Root}.", nameof(key));
        }

        return path;
    }

    /// <summary>The bytes stored under <paramref name="key"/>, or null when there are none.</summary>
    /// <param name="key">The key.</param>
    public byte[]? Read(string key)
    {
        var path = PathOf(key);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The text stored under <paramref name="key"/>, or null.</summary>
    /// <param name="key">The key.</param>
    public string? ReadText(string key)
    {
        var bytes = Read(key);
        return bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Whether <paramref name="key"/> holds a value.</summary>
    /// <param name="key">The key.</param>
    public bool Contains(string key) => File.Exists(PathOf(key));

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> atomically (temporary file, then rename).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes.</param>
    public void Write(string key, ReadOnlySpan<byte> value)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(value);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Stores UTF-8 text under <paramref name="key"/> atomically.</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The text.</param>
    public void WriteText(string key, string text) => Write(key, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Removes <paramref name="key"/> if present.</summary>
    /// <param name="key">The key.</param>
    public void Delete(string key) => File.Delete(PathOf(key));
}
