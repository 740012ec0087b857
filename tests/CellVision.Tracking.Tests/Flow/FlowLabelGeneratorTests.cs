using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Networks;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>Flow labels from approved links equal an independent NumPy transcription of ELEPHANT's (Golden/Flow/flow_labels_reference.py).</summary>
public sealed class FlowLabelGeneratorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-flow-labels-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void LabelsFromApprovedLinksMatchTheReferenceTranscription()
    {
        (int D, int H, int W) shape = (12, 36, 40);
        var voxel = new VoxelSize(0.5, 0.5, 2.0);
        var norm = FlowNormFactor.FromKeepAxials(KeepAxials.FromLevels(2));
        Assert.Equal(new FlowNormFactor(80, 80, 20), norm);
        var random = new Random(5);
        var graph = new LineageGraph();
        for (var i = 0; i < 12; i++)
        {
            // Rotated ellipsoids with radii 1-4 µm, some overlapping, some at the edges; displacements up to ±3 µm.
            var (sx, sy, sz) = (random.NextDouble() * shape.W * voxel.X, random.NextDouble() * shape.H * voxel.Y, random.NextDouble() * shape.D * voxel.Z);
            var source = graph.AddSpot(3, sx, sy, sz, 2.0);
            var target = graph.AddSpot(4, Math.Clamp(sx + (random.NextDouble() * 6) - 3, 0, (shape.W - 1) * voxel.X), Math.Clamp(sy + (random.NextDouble() * 6) - 3, 0, (shape.H - 1) * voxel.Y), Math.Clamp(sz + (random.NextDouble() * 6) - 3, 0, (shape.D - 1) * voxel.Z), RandomCovariance(random));
            graph.AddLink(source, target, i % 5 == 4 ? TrackingTag.Unlabeled : TrackingTag.Approved);
        }

        // A link that skips a timepoint and one from another pair are not part of pair (3, 4).
        graph.AddLink(graph.AddSpot(3, 5, 5, 5, 2), graph.AddSpot(5, 6, 6, 6, 2), TrackingTag.Approved);
        graph.AddLink(graph.AddSpot(4, 5, 5, 5, 2), graph.AddSpot(5, 7, 6, 6, 2), TrackingTag.Approved);

        var annotations = FlowLabelGenerator.AnnotationsAt(graph, 3);
        Assert.Equal(10, annotations.Count);
        using var label = FlowLabelGenerator.Generate(graph, 3, shape, voxel, norm);

        var spec = new JsonObject
        {
            ["shape"] = new JsonArray(shape.D, shape.H, shape.W),
            ["scales"] = new JsonArray(voxel.Z, voxel.Y, voxel.X),
            ["norm"] = new JsonArray(norm.X, norm.Y, norm.Z),
            ["links"] = new JsonArray([.. annotations.Select(a => (JsonNode)new JsonObject
            {
                ["pos"] = new JsonArray(a.X, a.Y, a.Z),
                ["cov"] = new JsonArray([.. a.Covariance.ToRowMajor().Select(v => (JsonNode)v)]),
                ["disp"] = new JsonArray(a.DisplacementX, a.DisplacementY, a.DisplacementZ),
            })]),
        };
        var specPath = Path.Combine(folder, "spec.json");
        var outPath = Path.Combine(folder, "label.bin");
        var centroidsPath = Path.Combine(folder, "centroids.json");
        File.WriteAllText(specPath, spec.ToJsonString());
        PythonReference.Run("Golden/Flow/flow_labels_reference.py", specPath, outPath, centroidsPath);

        var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(outPath)).ToArray();
        var length = shape.D * shape.H * shape.W;
        Assert.Equal(4 * length, expected.Length);
        var channels = new[] { label.X, label.Y, label.Z, label.Mask };
        for (var c = 0; c < 4; c++)
        {
            var actual = channels[c].Span;
            for (var i = 0; i < length; i++)
            {
                Assert.True(expected[(c * length) + i] == actual[i], $"channel {c}, voxel {i}: expected {expected[(c * length) + i]}, got {actual[i]}");
            }
        }

        var expectedCentroids = JsonSerializer.Deserialize<int[][]>(File.ReadAllText(centroidsPath))!;
        Assert.Equal(expectedCentroids.Select(c => (c[0], c[1], c[2])), label.Centroids);
        Assert.True(label.HasLabels);
        Assert.Equal(norm, label.NormFactor);
    }

    [Fact]
    public void LaterLinksOverwriteAndValuesAreScaledToVoxelsAndTheNormFactor()
    {
        var voxel = new VoxelSize(0.5, 0.25, 2.0);
        var norm = FlowNormFactor.FromMaxDisplacement(80, 3);
        Assert.Equal(FlowNormFactor.Elephant, norm);
        FlowAnnotation[] annotations =
        [
            new(5, 4, 8, Covariance3.Sphere(1.5), 1, -2, 4),
            new(5.5, 4, 8, Covariance3.Sphere(1.0), -1, 0.5, 0),
        ];
        using var label = FlowLabelGenerator.Generate((8, 24, 24), voxel, annotations, norm);
        var (z, y, x) = (4, 16, 11); // (8 / 2, 4 / 0.25, 5.5 / 0.5): inside both spheres, painted by the second.
        Assert.Equal(1f, label.Mask[z, y, x]);
        Assert.Equal((float)(-1 / 0.5 / 80), label.X[z, y, x]);
        Assert.Equal((float)(0.5 / 0.25 / 80), label.Y[z, y, x]);
        Assert.Equal(0f, label.Z[z, y, x]);
        (z, y, x) = (4, 16, 8); // only in the first sphere
        Assert.Equal((float)(1 / 0.5 / 80), label.X[z, y, x]);
        Assert.Equal((float)(-2 / 0.25 / 80), label.Y[z, y, x]);
        Assert.Equal((float)(4 / 2.0 / 10), label.Z[z, y, x]);
        Assert.Equal(0f, label.Mask[0, 0, 0]);
        Assert.Equal([(4, 16, 10), (4, 16, 11)], label.Centroids);
        Assert.Throws<ArgumentException>(() => FlowLabelGenerator.Generate((8, 24, 24), voxel, [new FlowAnnotation(double.NaN, 0, 0, Covariance3.Sphere(1), 0, 0, 0)], norm));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowLabelGenerator.Generate((8, 24, 24), voxel, annotations, new FlowNormFactor(80, 0, 10)));
    }

    private static Covariance3 RandomCovariance(Random random)
    {
        var (a, b, c) = (random.NextDouble() * Math.PI, random.NextDouble() * Math.PI, random.NextDouble() * Math.PI);
        double[] rx = [1, 0, 0, 0, Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a)];
        double[] ry = [Math.Cos(b), 0, Math.Sin(b), 0, 1, 0, -Math.Sin(b), 0, Math.Cos(b)];
        double[] rz = [Math.Cos(c), -Math.Sin(c), 0, Math.Sin(c), Math.Cos(c), 0, 0, 0, 1];
        var rotation = Multiply(rz, Multiply(ry, rx));
        double[] radii = [1 + (random.NextDouble() * 3), 1 + (random.NextDouble() * 3), 1.5 + (random.NextDouble() * 3)];
        var covariance = new double[9];
        for (var row = 0; row < 3; row++)
        for (var column = 0; column < 3; column++)
        for (var k = 0; k < 3; k++)
        {
            covariance[(row * 3) + column] += rotation[(row * 3) + k] * radii[k] * radii[k] * rotation[(column * 3) + k];
        }

        return Covariance3.FromRowMajor(covariance);
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var result = new double[9];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        for (var k = 0; k < 3; k++)
        {
            result[(i * 3) + j] += a[(i * 3) + k] * b[(k * 3) + j];
        }

        return result;
    }
}
