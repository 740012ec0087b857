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

    /// <summary>
    /// Reads the value under <paramref name="key"/> into a buffer rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>
    /// (return it when done). Values longer than <paramref name="maximumLength"/> are not read.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="maximumLength">The longest value accepted.</param>
    /// <param name="buffer">The rented buffer, or null when the key holds nothing.</param>
    /// <param name="length">The value's length (may exceed <paramref name="maximumLength"/>, in which case nothing is read).</param>
    /// <returns>Whether the key holds a value.</returns>
    public bool TryReadPooled(string key, int maximumLength, out byte[]? buffer, out long length)
    {
        buffer = null;
        length = 0;
        var path = PathOf(key);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            length = RandomAccess.GetLength(handle);
            if (length > maximumLength)
            {
                return true;
            }

            buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)length);
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
                if (n == 0)
                {
                    length = read;
                    break;
                }

                read += n;
            }

            return true;
        }
    }

    /// <summary>Opens the value under <paramref name="key"/> for positioned reads (<see cref="RandomAccess"/>), or returns null when there is none.</summary>
    /// <param name="key">The key.</param>
    /// <returns>A read-only handle the caller disposes, or null.</returns>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? OpenRead(string key)
    {
        try
        {
            return File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads the value under <paramref name="key"/> straight into <paramref name="destination"/> when its length matches.</summary>
    /// <param name="key">The key.</param>
    /// <param name="destination">Where the value goes; filled only when the value has exactly its length.</param>
    /// <param name="length">The value's length.</param>
    /// <returns>Whether the key holds a value.</returns>
    public bool TryReadExactly(string key, Span<byte> destination, out long length)
    {
        length = 0;
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            length = RandomAccess.GetLength(handle);
            if (length != destination.Length)
            {
                return true;
            }

            var read = 0;
            while (read < destination.Length)
            {
                var n = RandomAccess.Read(handle, destination[read..], read);
                if (n == 0)
                {
                    length = read;
                    return true;
                }

                read += n;
            }

            return true;
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
            using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, value, 0);
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
