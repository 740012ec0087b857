using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;

namespace CellVision.Detection.Tests;

/// <summary>
/// Centre probabilities become the same nuclei as an independent transcription of ELEPHANT's post-processing with
/// scikit-image's label and regionprops (Golden/spots_reference.py).
/// </summary>
public sealed class SpotExtractorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-spots-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(2.0, 0.5, 0.5, 1.0, 5.0, 3, 5, 7)]
    [InlineData(1.0, 1.0, 1.0, 0.0, 1e6, 0, 0, 0)]
    [InlineData(2.1605, 0.2768, 0.2768, 1.0, 5.0, 0, 0, 0)]
    public void Extract_equals_the_reference_on_random_blobs(double sz, double sy, double sx, double rMin, double rMax, int oz, int oy, int ox)
    {
        using var probability = RandomBlobs(12, 40, 44, seed: 11);
        var options = new SpotExtractionOptions { MinimumRadius = rMin, MaximumRadius = rMax, ReferenceFlatAxisRule = true };
        var spots = SpotExtractor.Extract(probability, new VoxelSize(sx, sy, sz), options, (oz, oy, ox));

        var expected = RunReference(probability, [sz, sy, sx], [oz, oy, ox], options);
        Assert.True(expected.Count > 5, $"the blobs should give several nuclei; got {expected.Count}");
        Assert.Equal(expected.Count, spots.Count);
        for (var n = 0; n < spots.Count; n++)
        {
            var reference = expected[n]!;
            var position = reference["pos"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.Equal(position[0], spots[n].X, 1e-9);
            Assert.Equal(position[1], spots[n].Y, 1e-9);
            Assert.Equal(position[2], spots[n].Z, 1e-9);
            var covariance = reference["cov"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            for (var i = 0; i < 9; i++)
            {
                Assert.Equal(covariance[i], spots[n].Covariance[i], 1e-7);
            }

            Assert.Equal(reference["quality"]!.GetValue<double>(), spots[n].Quality, 1e-9);
        }
    }

    [Fact]
    public void A_region_one_voxel_thick_in_y_gets_the_y_voxel_size_as_radius()
    {
        using var probability = new Volume<float>(9, 5, 9);
        for (var z = 2; z < 7; z++)
        {
            for (var x = 2; x < 7; x++)
            {
                probability[z, 2, x] = 0.9f;
            }
        }

        var voxelSize = new VoxelSize(0.5, 3.0, 0.5);
        var options = new SpotExtractionOptions { MinimumRadius = 0.1, MaximumRadius = 100 };
        var spot = Assert.Single(SpotExtractor.Extract(probability, voxelSize, options));
        Assert.Equal(3.0 * 3.0, spot.Covariance[4], 1e-9);
        Assert.Equal(0.9, spot.Quality, 1e-6);

        var reference = Assert.Single(SpotExtractor.Extract(probability, voxelSize, options with { ReferenceFlatAxisRule = true }));
        Assert.Equal(0.5 * 0.5, reference.Covariance[4], 1e-9);
    }

    [Fact]
    public void Regions_touching_only_at_a_corner_are_one_nucleus()
    {
        using var probability = new Volume<float>(4, 4, 4);
        for (var i = 0; i < 8; i++)
        {
            var (z, y, x) = (i >> 2 & 1, i >> 1 & 1, i & 1);
            probability[z, y, x] = 1;
            probability[z + 2, y + 2, x + 2] = 1;
        }

        var spots = SpotExtractor.Extract(probability, new VoxelSize(1, 1, 1), new SpotExtractionOptions { MinimumRadius = 0, MaximumRadius = 10 });
        Assert.Single(spots);
        Assert.Equal(1.5, spots[0].X, 12);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        using var probability = new Volume<float>(2, 2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpotExtractor.Extract(probability, new VoxelSize(1, 1, 1), new SpotExtractionOptions { CentreRatio = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpotExtractor.Extract(probability, new VoxelSize(1, 1, 1), new SpotExtractionOptions { MinimumRadius = 6, MaximumRadius = 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpotExtractor.Extract(probability, new VoxelSize(1, 0, 1)));
    }

    /// <summary>Sums of random Gaussian blobs of several sizes, scaled to [0, 1].</summary>
    private static Volume<float> RandomBlobs(int depth, int height, int width, int seed)
    {
        var random = new Random(seed);
        var volume = new Volume<float>(depth, height, width);
        for (var n = 0; n < 25; n++)
        {
            var (cz, cy, cx) = (random.NextDouble() * depth, random.NextDouble() * height, random.NextDouble() * width);
            var (sz, sy, sx) = (0.5 + random.NextDouble() * 1.5, 1 + random.NextDouble() * 3, 1 + random.NextDouble() * 3);
            var angle = random.NextDouble() * Math.PI;
            for (var z = 0; z < depth; z++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var (dy, dx) = (y - cy, x - cx);
                        var (u, v) = ((dy * Math.Cos(angle)) + (dx * Math.Sin(angle)), (-dy * Math.Sin(angle)) + (dx * Math.Cos(angle)));
                        var d = (((z - cz) / sz) * ((z - cz) / sz)) + ((u / sy) * (u / sy)) + ((v / sx) * (v / sx));
                        volume[z, y, x] += (float)Math.Exp(-0.5 * d);
                    }
                }
            }
        }

        var max = volume.Span.ToArray().Max();
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] /= max;
        }

        return volume;
    }

    private JsonArray RunReference(Volume<float> probability, double[] scales, int[] origin, SpotExtractionOptions options)
    {
        var raw = Path.Combine(folder, "probability.raw");
        File.WriteAllBytes(raw, MemoryMarshal.AsBytes(probability.Span).ToArray());
        var spec = new JsonObject
        {
            ["shape"] = new JsonArray(probability.Depth, probability.Height, probability.Width),
            ["probability"] = raw,
            ["scales"] = new JsonArray(scales.Select(s => (JsonNode)s).ToArray()),
            ["origin"] = new JsonArray(origin.Select(o => (JsonNode)o).ToArray()),
            ["c_ratio"] = options.CentreRatio,
            ["p_thresh"] = options.ProbabilityThreshold,
            ["r_min"] = options.MinimumRadius,
            ["r_max"] = options.MaximumRadius,
        };
        var specPath = Path.Combine(folder, "spec.json");
        var output = Path.Combine(folder, "spots.json");
        File.WriteAllText(specPath, spec.ToJsonString());
        PythonReference.Run("Golden/spots_reference.py", specPath, output);
        return JsonNode.Parse(File.ReadAllText(output))!.AsArray();
    }
}
