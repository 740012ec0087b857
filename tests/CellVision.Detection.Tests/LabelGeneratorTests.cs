using CellVision.Core.Annotations;
using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;

namespace CellVision.Detection.Tests;

/// <summary>Detection labels equal an independent NumPy transcription of ELEPHANT's label generation (Golden/labels_reference.py).</summary>
public sealed class LabelGeneratorTests : IDisposable
{
    private static readonly (DetectionTag Tag, string Name)[] Tags =
    [
        (DetectionTag.TruePositive, "tp"), (DetectionTag.FalsePositive, "fp"), (DetectionTag.TrueNegative, "tn"),
        (DetectionTag.FalseNegative, "fn"), (DetectionTag.TrueBorder, "tb"), (DetectionTag.FalseBorder, "fb"),
    ];

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-labels-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void LabelsMatchTheReferenceTranscription(double autoBackground)
    {
        (int D, int H, int W) shape = (14, 40, 44);
        var voxel = new VoxelSize(0.5, 0.5, 2.0);
        var random = new Random(11);
        var spots = new List<AnnotatedSpot>();
        for (var i = 0; i < 14; i++)
        {
            // Random rotated ellipsoid: covariance = R diag(r²) Rᵀ with radii 1-5 µm, some overlapping, some at the edges.
            var (a, b, c) = (random.NextDouble() * Math.PI, random.NextDouble() * Math.PI, random.NextDouble() * Math.PI);
            var rotation = Rotation(a, b, c);
            double[] radii = [1 + (random.NextDouble() * 4), 1 + (random.NextDouble() * 4), 1.5 + (random.NextDouble() * 4)];
            var covariance = new double[9];
            for (var row = 0; row < 3; row++)
            for (var column = 0; column < 3; column++)
            for (var k = 0; k < 3; k++)
            {
                covariance[(row * 3) + column] += rotation[(row * 3) + k] * radii[k] * radii[k] * rotation[(column * 3) + k];
            }

            spots.Add(new AnnotatedSpot(random.NextDouble() * shape.W * voxel.X, random.NextDouble() * shape.H * voxel.Y, random.NextDouble() * shape.D * voxel.Z, covariance, Tags[i % Tags.Length].Tag));
        }

        using var frame = new Volume<float>(shape.D, shape.H, shape.W);
        for (var i = 0; i < frame.Length; i++)
        {
            frame.Span[i] = (float)random.NextDouble();
        }

        var framePath = Path.Combine(folder, "frame.bin");
        File.WriteAllBytes(framePath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(frame.Span).ToArray());
        var spec = new JsonObject
        {
            ["shape"] = new JsonArray(shape.D, shape.H, shape.W),
            ["scales"] = new JsonArray(voxel.Z, voxel.Y, voxel.X),
            ["centre_ratio"] = 0.4,
            ["auto_bg"] = autoBackground,
            ["frame"] = framePath,
            ["spots"] = new JsonArray(spots.Select(s => (JsonNode)new JsonObject
            {
                ["pos"] = new JsonArray(s.X, s.Y, s.Z),
                ["cov"] = new JsonArray(s.Covariance.Select(v => (JsonNode?)v).ToArray()),
                ["tag"] = Tags.Single(t => t.Tag == s.Tag).Name,
            }).ToArray()),
        };
        File.WriteAllText(Path.Combine(folder, "spec.json"), spec.ToJsonString());
        PythonReference.Run("Golden/labels_reference.py", Path.Combine(folder, "spec.json"), Path.Combine(folder, "expected.bin"));

        using var labels = LabelGenerator.Generate(shape, voxel, spots, new LabelOptions { AutoBackgroundThreshold = autoBackground }, frame);
        var expected = File.ReadAllBytes(Path.Combine(folder, "expected.bin"));
        var differing = expected.Zip(labels.Span.ToArray()).Count(p => p.First != p.Second);
        Assert.Equal(0, differing);
        Assert.Contains(expected, v => v == 3);
        Assert.Contains(expected, v => v == 6);
        Assert.Contains(expected, v => v == 4);
    }

    [Fact]
    public void A_spot_with_zero_covariance_still_gets_the_minimum_voxels()
    {
        var spots = new[] { new AnnotatedSpot(5, 5, 2, new double[9], DetectionTag.TruePositive) };
        using var labels = LabelGenerator.Generate((4, 10, 10), new VoxelSize(1, 1, 2), spots);
        Assert.True(labels.Span.ToArray().Count(v => v > 0) >= 9);
        Assert.Equal(3, labels[1, 5, 5]);
        Assert.Throws<ArgumentException>(() => LabelGenerator.Generate((4, 10, 10), new VoxelSize(1, 1, 2), [new AnnotatedSpot(double.NaN, 5, 2, new double[9], DetectionTag.TruePositive)]));
    }

    [Fact]
    public void BackgroundNeverOverwritesBorderOrCentreAndValuesStayInRange()
    {
        var sphere = new[] { 4.0, 0, 0, 0, 4.0, 0, 0, 0, 4.0 };
        using var labels = LabelGenerator.Generate((10, 20, 20), new VoxelSize(1, 1, 1),
            [new AnnotatedSpot(10, 10, 5, sphere, DetectionTag.TruePositive), new AnnotatedSpot(10, 10, 5, sphere.Select(v => v * 4).ToArray(), DetectionTag.FalsePositive)]);
        var values = labels.Span.ToArray();
        Assert.Equal(3, labels[5, 10, 10]);
        Assert.All(values, v => Assert.InRange(v, 0, 6));
        Assert.Contains(values, v => v == 4);
        Assert.Contains(values, v => v == 2);
    }

    private static double[] Rotation(double a, double b, double c)
    {
        double[] rz = [Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a), 0, 0, 0, 1];
        double[] ry = [Math.Cos(b), 0, Math.Sin(b), 0, 1, 0, -Math.Sin(b), 0, Math.Cos(b)];
        double[] rx = [1, 0, 0, 0, Math.Cos(c), -Math.Sin(c), 0, Math.Sin(c), Math.Cos(c)];
        return Multiply(Multiply(rz, ry), rx);
    }

    private static double[] Multiply(double[] p, double[] q)
    {
        var result = new double[9];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        for (var k = 0; k < 3; k++)
        {
            result[(i * 3) + j] += p[(i * 3) + k] * q[(k * 3) + j];
        }

        return result;
    }
}
