using CellVision.Core.Volumes;
using CellVision.Distributed.Operations;
using CellVision.Distributed.Runners;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Segmentation;

namespace CellVision.Distributed.Tests;

/// <summary>Small inputs, their single-process results, and comparisons of outputs file by file.</summary>
internal static class Fixtures
{
    /// <summary>32³ blocks with 16 voxels of context: a 40 × 70 × 50 volume is 2 × 3 × 2 = 12 tasks.</summary>
    public static readonly IncasemClaheOptions Clahe = new() { KernelSize = 32, BlockSize = 32, Context = 16 };

    /// <summary>How the tests start a worker: the dotnet host running CellVision.Cli.dll from the test folder.</summary>
    public static WorkerCommand Worker { get; } = new(
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
        [Path.Combine(AppContext.BaseDirectory, "CellVision.Cli.dll")]);

    /// <summary>A random-looking uint8 volume with some structure, as a Zarr array.</summary>
    public static string Volume(TemporaryFolder folder, long[]? shape = null)
    {
        shape ??= [40, 70, 50];
        var path = folder["input.zarr"];
        var array = ZarrArray.Create<byte>(path, shape, [16, 16, 16], ZarrCompressor.Default);
        var values = new byte[shape[0] * shape[1] * shape[2]];
        var random = new Random(7);
        for (var i = 0; i < values.Length; i++)
        {
            var x = i % shape[2];
            values[i] = (byte)((x * 3) + random.Next(0, 60));
        }

        array.Write(Box.FromShape(shape), (ReadOnlySpan<byte>)values);
        return path;
    }

    /// <summary>The single-process library call's result.</summary>
    public static string ClaheReference(TemporaryFolder folder, string input)
    {
        var source = ZarrArray.Open(input);
        var path = folder["reference.zarr"];
        var output = ZarrArray.Create<byte>(path, [.. source.Shape], IncasemClaheOperation.OutputChunks(source.Shape, Clahe), ZarrCompressor.Default);
        IncasemClahe.Equalize(source, output, Clahe);
        return path;
    }

    /// <summary>A folder of <paramref name="count"/> 16-bit TIFF stacks of 5 × 24 × 20.</summary>
    public static string TiffFolder(TemporaryFolder folder, int count)
    {
        var path = folder.Sub("tiffs");
        for (var t = 0; t < count; t++)
        {
            using var volume = new Volume<ushort>(5, 24, 20);
            var span = volume.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (ushort)((i * 31) + (t * 1000));
            }

            TiffWriter.Write(Path.Combine(path, $"t{t:D3}.tif"), volume);
        }

        return path;
    }

    /// <summary>The single-process conversion.</summary>
    public static string TiffReference(TemporaryFolder folder, string tiffs)
    {
        var path = folder["reference-movie.zarr"];
        TiffSequence.ToZarr(TiffSequence.Find(tiffs), path);
        return path;
    }

    /// <summary>Asserts that two Zarr arrays hold the same files with the same bytes (the job's bookkeeping aside), and no temporary file.</summary>
    public static void AssertSameArray(string expected, string actual)
    {
        static List<string> Files(string root) => [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.StartsWith(JobOutput.FolderName, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        var want = Files(expected);
        var have = Files(actual);
        Assert.Equal(want, have);
        Assert.DoesNotContain(have, f => f.EndsWith(".partial", StringComparison.Ordinal));
        foreach (var file in want)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
        }
    }

    /// <summary>The nodes recorded in the completion markers.</summary>
    public static HashSet<string> Nodes(JobPlan plan)
    {
        var output = new JobOutput(plan.Outputs[0]);
        return [.. Enumerable.Range(0, plan.Tasks.Count).Select(i => (string)output.ReadDone(i)!["node"]!)];
    }
}
