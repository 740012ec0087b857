namespace CellVision.Tests.Shared;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    internal TemporaryFolder() => Path = Directory.CreateTempSubdirectory("cellvision-test-").FullName;

    internal string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the folder (nothing is created).</summary>
    internal string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Creates (if needed) and returns a sub-folder.</summary>
    internal string Sub(params string[] parts)
    {
        var folder = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
