using CellVision.Torch;

namespace CellVision.Cli.Demo;

/// <summary>
/// A synthetic 3D image of nuclei: bright ellipsoidal blobs with smooth edges on a noisy background, and the mask of
/// their interiors as ground truth. Deterministic for a given seed.
/// </summary>
internal static class SyntheticNuclei
{
    /// <summary>Makes (image, mask), each shaped (1, 1, depth, height, width).</summary>
    internal static (Tensor Image, Tensor Mask) Create(int depth, int height, int width, int nuclei, int seed)
    {
        var random = new Random(seed);
        var image = new float[depth * height * width];
        var mask = new float[image.Length];
        for (var n = 0; n < nuclei; n++)
        {
            double cz = random.Next(depth), cy = random.Next(height), cx = random.Next(width);
            double rz = 1.5 + (random.NextDouble() * 1.5), ry = 3 + (random.NextDouble() * 3), rx = 3 + (random.NextDouble() * 3);
            var brightness = 0.6 + (0.4 * random.NextDouble());
            for (var z = 0; z < depth; z++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var d = Math.Pow((z - cz) / rz, 2) + Math.Pow((y - cy) / ry, 2) + Math.Pow((x - cx) / rx, 2);
                        var i = (((z * height) + y) * width) + x;
                        image[i] = (float)Math.Max(image[i], brightness * Math.Exp(-d * d));
                        if (d <= 1)
                        {
                            mask[i] = 1;
                        }
                    }
                }
            }
        }

        for (var i = 0; i < image.Length; i++)
        {
            image[i] += (float)(0.15 * NextGaussian(random));
        }

        long[] shape = [1, 1, depth, height, width];
        return (Tensor.FromSpan<float>(image, shape), Tensor.FromSpan<float>(mask, shape));
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
