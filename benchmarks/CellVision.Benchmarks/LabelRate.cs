using CellVision.Core.Annotations;
using System.Diagnostics;
using CellVision.Core.Geometry;
using CellVision.Detection;

namespace CellVision.Benchmarks;

/// <summary>
/// Label-generation throughput: rasterises a grid of randomly rotated true-positive ellipsoids (nuclei of about
/// 3 µm radius) into a frame and prints voxels of the frame per second, the median of several rounds.
/// </summary>
internal static class LabelRate
{
    internal static int Run(int[] shape, int spotCount, int rounds)
    {
        var voxelSize = new VoxelSize(0.2767553206210389, 0.2767553206210389, 2.1605444611492426);
        var spots = RandomSpots(shape, voxelSize, spotCount, new Random(7));

        LabelGenerator.Generate((shape[0], shape[1], shape[2]), voxelSize, spots).Dispose();
        var samples = new double[rounds];
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            LabelGenerator.Generate((shape[0], shape[1], shape[2]), voxelSize, spots).Dispose();
            samples[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        var seconds = samples[rounds / 2];
        var voxels = (double)shape[0] * shape[1] * shape[2];
        Console.WriteLine(FormattableString.Invariant($"cellvision_labels shape={string.Join(',', shape)} spots={spotCount} seconds={seconds:F4} voxels_per_s={voxels / seconds:E3}"));
        return 0;
    }

    private static List<AnnotatedSpot> RandomSpots(int[] shape, VoxelSize voxelSize, int count, Random random)
    {
        var spots = new List<AnnotatedSpot>(count);
        for (var n = 0; n < count; n++)
        {
            var x = random.NextDouble() * shape[2] * voxelSize.X;
            var y = random.NextDouble() * shape[1] * voxelSize.Y;
            var z = random.NextDouble() * shape[0] * voxelSize.Z;
            var radii = new[] { 2 + random.NextDouble() * 2, 2 + random.NextDouble() * 2, 2 + random.NextDouble() * 2 };
            var rotation = RandomRotation(random);
            var covariance = new double[9];
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    double sum = 0;
                    for (var k = 0; k < 3; k++)
                    {
                        sum += rotation[i, k] * radii[k] * radii[k] * rotation[j, k];
                    }

                    covariance[(i * 3) + j] = sum;
                }
            }

            spots.Add(new AnnotatedSpot(x, y, z, covariance, DetectionTag.TruePositive));
        }

        return spots;
    }

    private static double[,] RandomRotation(Random random)
    {
        var (a, b, c) = (random.NextDouble() * Math.PI * 2, random.NextDouble() * Math.PI * 2, random.NextDouble() * Math.PI * 2);
        var (ca, sa, cb, sb, cc, sc) = (Math.Cos(a), Math.Sin(a), Math.Cos(b), Math.Sin(b), Math.Cos(c), Math.Sin(c));
        return new[,]
        {
            { (ca * cb), (ca * sb * sc) - (sa * cc), (ca * sb * cc) + (sa * sc) },
            { (sa * cb), (sa * sb * sc) + (ca * cc), (sa * sb * cc) - (ca * sc) },
            { -sb, cb * sc, cb * cc },
        };
    }
}
