using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Core.Synthetic;

/// <summary>Draws the nuclei of one timepoint into a noisy uint16 frame and a label mask.</summary>
internal sealed class NucleusRenderer(SyntheticTimeLapseOptions options)
{
    internal (Volume<ushort> Image, Volume<ushort> Mask) Render(int timepoint, IReadOnlyList<Spot> spots, IReadOnlyDictionary<Spot, ushort> labels, CancellationToken cancellationToken)
    {
        int depth = options.Depth, height = options.Height, width = options.Width;
        var size = options.VoxelSize;
        var image = new Volume<ushort>(depth, height, width, size);
        var mask = new Volume<ushort>(depth, height, width, size);
        var brightness = new float[depth * height * width];
        var steepness = 4.0 / options.EdgeWidth;
        foreach (var spot in spots)
        {
            var radius = Math.Sqrt(spot.Covariance.XX);
            var reach = radius + options.EdgeWidth * 2;
            var label = labels[spot];
            int z0 = Math.Max(0, (int)Math.Floor((spot.Z - reach) / size.Z)), z1 = Math.Min(depth - 1, (int)Math.Ceiling((spot.Z + reach) / size.Z));
            int y0 = Math.Max(0, (int)Math.Floor((spot.Y - reach) / size.Y)), y1 = Math.Min(height - 1, (int)Math.Ceiling((spot.Y + reach) / size.Y));
            int x0 = Math.Max(0, (int)Math.Floor((spot.X - reach) / size.X)), x1 = Math.Min(width - 1, (int)Math.Ceiling((spot.X + reach) / size.X));
            for (var z = z0; z <= z1; z++)
            {
                for (var y = y0; y <= y1; y++)
                {
                    for (var x = x0; x <= x1; x++)
                    {
                        var distance = Math.Sqrt(spot.SquaredDistanceTo(x * size.X, y * size.Y, z * size.Z));
                        var index = ((z * height) + y) * width + x;
                        var value = (float)(1.0 / (1.0 + Math.Exp((distance - radius) * steepness)));
                        brightness[index] = Math.Max(brightness[index], value);
                        if (distance <= radius && mask.Span[index] == 0)
                        {
                            mask.Span[index] = label;
                        }
                    }
                }
            }

            // The centre voxel always carries the label, so even a nucleus thinner than a plane is in the mask.
            int cz = (int)Math.Round(spot.Z / size.Z), cy = (int)Math.Round(spot.Y / size.Y), cx = (int)Math.Round(spot.X / size.X);
            if (cz >= 0 && cz < depth && cy >= 0 && cy < height && cx >= 0 && cx < width)
            {
                mask[cz, cy, cx] = label;
            }
        }

        Parallel.For(0, depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            var random = new Random(unchecked((options.Seed * 1_000_003) + (timepoint * 10_007) + z));
            var plane = image.Plane(z);
            var offset = z * height * width;
            for (var i = 0; i < plane.Length; i++)
            {
                var mean = options.Background + options.Signal * brightness[offset + i];
                var counts = Poisson(random, mean) + Gaussian(random) * options.ReadNoise;
                plane[i] = (ushort)Math.Clamp(Math.Round(counts), 0, ushort.MaxValue);
            }
        });

        return (image, mask);
    }

    private static double Poisson(Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 50)
        {
            // Normal approximation, accurate to well under a count at these means.
            return Math.Max(0, mean + Math.Sqrt(mean) * Gaussian(random));
        }

        // Knuth's multiplication method.
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }

    private static double Gaussian(Random random)
    {
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
