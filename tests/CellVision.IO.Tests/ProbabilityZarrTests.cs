using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;

namespace CellVision.IO.Tests;

/// <summary>Predicted probabilities written to a Zarr v2 array read back the same, in CellVision and in zarr-python.</summary>
public sealed class ProbabilityZarrTests : IDisposable
{
    private static readonly VoxelSize Voxel = new(0.25, 0.25, 1.5);
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-probabilities-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void All_three_classes_round_trip_with_chunks_and_the_voxel_size()
    {
        var path = Path.Combine(folder, "all.zarr");
        var output = ProbabilityZarr.Create(path, 3, (3, 10, 12), Voxel, chunks: (2, 4, 5));
        using var probabilities = Random((3, 10, 12), seed: 1);
        output.Write(1, probabilities.Background, probabilities.Border, probabilities.Centre);

        var reopened = ProbabilityZarr.Open(path);
        Assert.Equal((ProbabilityChannels.All, 3, (3, 10, 12)), (reopened.Channels, reopened.Timepoints, reopened.FrameShape));
        Assert.Equal(Voxel, reopened.VoxelSize);
        Assert.Equal([3L, 3, 3, 10, 12], reopened.Array.Metadata.Shape);
        Assert.Equal([1L, 1, 2, 4, 5], reopened.Array.Metadata.Chunks);
        foreach (var (c, expected) in new[] { (DetectionClass.Background, probabilities.Background), (DetectionClass.Border, probabilities.Border), (DetectionClass.Centre, probabilities.Centre) })
        {
            using var read = reopened.Read(1, c);
            Assert.Equal(expected.Span.ToArray(), read.Span.ToArray());
            Assert.Equal(Voxel, read.VoxelSize);
        }

        using (var unwritten = reopened.Read(2))
        {
            Assert.All(unwritten.Span.ToArray(), v => Assert.Equal(0f, v));
        }

        // zarr-python sees the same array, chunks and attributes.
        PythonReference.Run("Interop/zarr_reference.py", path, Path.Combine(folder, "meta.json"), Path.Combine(folder, "data.f32"));
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "meta.json")))!;
        Assert.Equal("[3,3,3,10,12]", meta["shape"]!.ToJsonString());
        Assert.Equal("[1,1,2,4,5]", meta["chunks"]!.ToJsonString());
        Assert.Equal("<f4", meta["dtype"]!.GetValue<string>());
        Assert.Equal("""["background","border","centre"]""", meta["attrs"]!["channels"]!.ToJsonString());
        Assert.Equal(1.5, meta["attrs"]!["voxel_size"]!["z"]!.GetValue<double>());
        var data = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, "data.f32")));
        var frame = 3 * 10 * 12;
        Assert.Equal(probabilities.Border.Span.ToArray(), data.Slice((((1 * 3) + 1) * frame), frame).ToArray());
    }

    [Fact]
    public void The_centre_channel_alone_can_be_kept()
    {
        var output = ProbabilityZarr.Create(Path.Combine(folder, "centre.zarr"), 2, (2, 16, 16), Voxel, ProbabilityChannels.CentreOnly);
        using var probabilities = Random((2, 16, 16), seed: 3);
        output.Write(1, probabilities.Background, probabilities.Border, probabilities.Centre);

        using var read = ProbabilityZarr.Open(Path.Combine(folder, "centre.zarr")).Read(1);
        Assert.Equal(probabilities.Centre.Span.ToArray(), read.Span.ToArray());
        Assert.Equal([2L, 1, 2, 16, 16], output.Array.Metadata.Shape);
        Assert.Throws<ArgumentException>(() => output.Read(1, DetectionClass.Border));
        Assert.Throws<ArgumentOutOfRangeException>(() => output.Read(2));
        using var wrongShape = Random((2, 8, 16), seed: 2);
        Assert.Throws<ArgumentException>(() => output.Write(0, wrongShape.Background, wrongShape.Border, wrongShape.Centre));
        Assert.Throws<ZarrFormatException>(() => ProbabilityZarr.Open(CreatePlainArray()));
    }

    private static Probabilities Random((int D, int H, int W) shape, int seed)
    {
        var random = new Random(seed);
        var volumes = Enumerable.Range(0, 3).Select(_ => new Volume<float>(shape.D, shape.H, shape.W, Voxel)).ToArray();
        foreach (var volume in volumes)
        {
            for (var i = 0; i < volume.Length; i++)
            {
                volume.Span[i] = (float)random.NextDouble();
            }
        }

        return new Probabilities(volumes[0], volumes[1], volumes[2]);
    }

    private string CreatePlainArray()
    {
        var path = Path.Combine(folder, "plain.zarr");
        ZarrArray.Create<float>(path, [2, 3, 4], [2, 3, 4]);
        return path;
    }

    private sealed record Probabilities(Volume<float> Background, Volume<float> Border, Volume<float> Centre) : IDisposable
    {
        public void Dispose()
        {
            Background.Dispose();
            Border.Dispose();
            Centre.Dispose();
        }
    }
}
