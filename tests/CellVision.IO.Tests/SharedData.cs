namespace CellVision.IO.Tests;

/// <summary>Locates the real data sets in ../shared/data beside the repository (present on developer machines and CI).</summary>
internal static class SharedData
{
    internal static string PathOf(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CellVision.sln")))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, "The repository root (CellVision.sln) was not found above the test binaries.");
        var path = Path.Combine([directory!.FullName, "..", "shared", "data", .. parts]);
        Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} is missing: the shared data sets must lie in ../shared beside the repository.");
        return Path.GetFullPath(path);
    }
}
