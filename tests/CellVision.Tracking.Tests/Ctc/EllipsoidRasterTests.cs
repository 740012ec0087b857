using CellVision.Tracking.Ctc;

namespace CellVision.Tracking.Tests.Ctc;

/// <summary>The export's allocation-free rasteriser selects exactly the voxels of Detection's ELEPHANT port.</summary>
public sealed class EllipsoidRasterTests
{
    [Theory]
    [InlineData(1, 60, 70, 1.0, 1.0, 1.0)]
    [InlineData(12, 40, 40, 2.0, 0.5, 0.5)]
    [InlineData(20, 20, 20, 1.0, 1.0, 1.0)]
    public void Matches_the_detection_rasteriser(int depth, int height, int width, double sz, double sy, double sx)
    {
        var random = new Random(17);
        var raster = new EllipsoidRaster();
        double[] scales = [sz, sy, sx];
        int[] dims = [depth, height, width];
        for (var n = 0; n < 300; n++)
        {
            // Centres partly outside the volume, radii from far below a voxel to large, random rotations.
            double[] centre = [(random.NextDouble() * 1.2 - 0.1) * depth * sz, (random.NextDouble() * 1.2 - 0.1) * height * sy, (random.NextDouble() * 1.2 - 0.1) * width * sx];
            var scale = Math.Pow(10, (random.NextDouble() * 3) - 2);
            double[] radii = [scale * (0.2 + random.NextDouble()), scale * (0.2 + random.NextDouble()), n % 10 == 0 ? 0 : scale * (0.2 + random.NextDouble())];
            var rotation = Rotation(random);

            var expected = EllipsoidRaster.Reference(centre, radii, rotation, scales, dims, 20);
            var actual = raster.Voxels(centre, radii, rotation, scales, dims, 20);

            Assert.Equal(expected, actual);
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

        var written = raster.Fill(target, 7, centre, radii, rotation, scales, dims, 20);

        var expected = EllipsoidRaster.Reference(centre, radii, rotation, scales, dims, 20);
        Assert.Equal(expected.Count, written);
        Assert.Equal(expected, Enumerable.Range(0, target.Length).Where(i => target[i] == 7));
    }

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
