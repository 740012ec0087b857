namespace CellVision.Tests.Shared;

/// <summary>
/// Locates the real data sets in ../shared/data beside the repository (present on developer machines and CI), or in the
/// folder named by CELLVISION_SHARED.
/// </summary>
internal static class SharedData
{
    /// <summary>The full path of a file or folder under shared/data, asserting that it exists.</summary>
    internal static string PathOf(params string[] parts)
    {
        var configured = Environment.GetEnvironmentVariable("CELLVISION_SHARED");
        if (!string.IsNullOrEmpty(configured))
        {
            var fromVariable = Path.Combine([configured, "data", .. parts]);
            Assert.True(File.Exists(fromVariable) || Directory.Exists(fromVariable), $"{fromVariable} is missing (CELLVISION_SHARED is '{configured}').");
            return Path.GetFullPath(fromVariable);
        }

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
