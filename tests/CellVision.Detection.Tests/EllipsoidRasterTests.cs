using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Detection;

namespace CellVision.Detection.Tests;

/// <summary>The allocation-free rasteriser selects exactly the voxels of the NumPy transcription in Golden/labels_reference.py.</summary>
public sealed class EllipsoidRasterTests : IDisposable
{
    private const int MinimumVoxels = 20;

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ellipsoid-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(1, 60, 70, 1.0, 1.0, 1.0)]
    [InlineData(12, 40, 40, 2.0, 0.5, 0.5)]
    [InlineData(20, 20, 20, 1.0, 1.0, 1.0)]
    public void Matches_the_reference_transcription(int depth, int height, int width, double sz, double sy, double sx)
    {
        var random = new Random(17);
        double[] scales = [sz, sy, sx];
        int[] dims = [depth, height, width];
        var cases = new List<(double[] Centre, double[] Radii, double[] Rotation)>();
        for (var n = 0; n < 300; n++)
        {
            // Centres partly outside the volume, radii from far below a voxel to large, random rotations.
            double[] centre = [(random.NextDouble() * 1.2 - 0.1) * depth * sz, (random.NextDouble() * 1.2 - 0.1) * height * sy, (random.NextDouble() * 1.2 - 0.1) * width * sx];
            var scale = Math.Pow(10, (random.NextDouble() * 3) - 2);
            double[] radii = [scale * (0.2 + random.NextDouble()), scale * (0.2 + random.NextDouble()), scale * (0.2 + random.NextDouble())];
            cases.Add((centre, radii, Rotation(random)));
        }

        var expected = Reference(cases, scales, dims);
        var raster = new EllipsoidRaster();
        for (var n = 0; n < cases.Count; n++)
        {
            var (centre, radii, rotation) = cases[n];
            Assert.Equal(expected[n], raster.Voxels(centre, radii, rotation, scales, dims, MinimumVoxels));
        }
    }

    [Fact]
    public void Fill_writes_the_same_voxels()
    {
        var raster = new EllipsoidRaster();
        var target = new ushort[10 * 30 * 30];
        double[] centre = [5, 14.2, 15.7];
        double[] radii = [2, 6, 4];
        double[] rotation = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        double[] scales = [1, 1, 1];
        int[] dims = [10, 30, 30];

        var written = raster.Fill(target, 7, centre, radii, rotation, scales, dims, MinimumVoxels);

        var expected = Reference([(centre, radii, rotation)], scales, dims)[0];
        Assert.Equal(expected.Count, written);
        Assert.Equal(expected, Enumerable.Range(0, target.Length).Where(i => target[i] == 7));
    }

    [Fact]
    public void A_flat_spot_still_covers_the_minimum()
    {
        // A zero radius is raised far below a voxel (the reference would divide by it), so the spot grows instead.
        var voxels = new EllipsoidRaster().Voxels([5, 14.2, 15.7], [2, 0, 4], [1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 1, 1], [10, 30, 30], MinimumVoxels);

        Assert.True(voxels.Count >= MinimumVoxels);
        Assert.Equal(voxels.Order(), voxels);
    }

    private List<int>[] Reference(IReadOnlyList<(double[] Centre, double[] Radii, double[] Rotation)> cases, double[] scales, int[] dims)
    {
        var spec = new JsonObject
        {
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["centre"] = Array(c.Centre),
                ["radii"] = Array(c.Radii),
                ["rotation"] = Array(c.Rotation),
                ["scales"] = Array(scales),
                ["shape"] = new JsonArray(dims.Select(d => (JsonNode?)d).ToArray()),
                ["minimum"] = MinimumVoxels,
            }).ToArray()),
        };
        var input = Path.Combine(folder, "cases.json");
        var output = Path.Combine(folder, "voxels.json");
        File.WriteAllText(input, spec.ToJsonString());
        PythonReference.Run("Golden/ellipsoid_reference.py", input, output);
        return [.. JsonNode.Parse(File.ReadAllText(output))!["voxels"]!.AsArray().Select(list => list!.AsArray().Select(i => i!.GetValue<int>()).ToList())];
    }

    private static JsonArray Array(double[] values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static double[] Rotation(Random random)
    {
        var (a, b, c) = (random.NextDouble() * Math.PI * 2, random.NextDouble() * Math.PI * 2, random.NextDouble() * Math.PI * 2);
        var (ca, sa, cb, sb, cc, sc) = (Math.Cos(a), Math.Sin(a), Math.Cos(b), Math.Sin(b), Math.Cos(c), Math.Sin(c));
        return
        [
            ca * cb, (ca * sb * sc) - (sa * cc), (ca * sb * cc) + (sa * sc),
            sa * cb, (sa * sb * sc) + (ca * cc), (sa * sb * cc) - (ca * sc),
            -sb, cb * sc, cb * cc,
        ];
    }
}
