namespace CellVision.Segmentation;

/// <summary>
/// The geometric augmentation of one training block as a map from each block voxel to the position it is read from
/// (block coordinates): a random mirror and transpose, then the elastic step (a rotation in the Y–X plane about the
/// block centre, the control points' jitter interpolated linearly, and section shifts), then another random mirror and
/// transpose. Composing the steps means each voxel is sampled once.
/// </summary>
internal sealed class SemanticBlockMap
{
    private readonly int[] size;
    private readonly SimpleAugment first;
    private readonly SimpleAugment second;
    private readonly bool elastic;
    private readonly double cos;
    private readonly double sin;
    private readonly int[] spacing = new int[3];
    private readonly int[] nodes = new int[3];
    private readonly double[] jitter = [];
    private readonly double[] shiftY = [];
    private readonly double[] shiftX = [];

    public SemanticBlockMap(int[] size, SemanticAugmentationOptions options, Random random)
    {
        this.size = size;
        first = SimpleAugment.Draw(size, options, random);
        elastic = options.Elastic;
        if (elastic)
        {
            var angle = random.NextDouble() * options.MaxRotation;
            (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
            spacing = [options.ControlPointSpacing.Z, options.ControlPointSpacing.Y, options.ControlPointSpacing.X];
            double[] sigma = [options.JitterSigma.Z, options.JitterSigma.Y, options.JitterSigma.X];
            for (var a = 0; a < 3; a++)
            {
                nodes[a] = ((size[a] - 1 + spacing[a] - 1) / spacing[a]) + 1;
            }

            jitter = new double[nodes[0] * nodes[1] * nodes[2] * 3];
            for (var n = 0; n < jitter.Length; n++)
            {
                jitter[n] = sigma[n % 3] * Normal(random);
            }

            (shiftY, shiftX) = (new double[size[0]], new double[size[0]]);
            double y = 0, x = 0;
            for (var z = 0; z < size[0]; z++)
            {
                if (random.NextDouble() < options.SectionShiftProbability)
                {
                    y += random.Next(-options.MaxMisalignment, options.MaxMisalignment + 1);
                    x += random.Next(-options.MaxMisalignment, options.MaxMisalignment + 1);
                }

                (shiftY[z], shiftX[z]) = (y, x);
            }
        }
        else
        {
            (cos, sin) = (1, 0);
        }

        second = SimpleAugment.Draw(size, options, random);
    }

    /// <summary>Writes the source position of block voxel (z, y, x), Z, Y, X in block coordinates.</summary>
    public void Source(int z, int y, int x, Span<double> source)
    {
        Span<double> p = [z, y, x];
        second.Apply(p);
        if (elastic)
        {
            Deform(p);
        }

        first.Apply(p);
        p.CopyTo(source);
    }

    private void Deform(Span<double> p)
    {
        Span<double> displacement = stackalloc double[3];
        Displacement(p, displacement);
        var section = Math.Clamp((int)Math.Floor(p[0] + 0.5), 0, size[0] - 1);
        var (cy, cx) = ((size[1] - 1) / 2.0, (size[2] - 1) / 2.0);
        var (dy, dx) = (p[1] - cy, p[2] - cx);
        p[0] += displacement[0];
        p[1] = cy + (cos * dy) - (sin * dx) + displacement[1] + shiftY[section];
        p[2] = cx + (sin * dy) + (cos * dx) + displacement[2] + shiftX[section];
    }

    /// <summary>The control points' jitter at p, interpolated linearly between the eight surrounding points.</summary>
    private void Displacement(ReadOnlySpan<double> p, Span<double> displacement)
    {
        Span<int> low = stackalloc int[3];
        Span<double> fraction = stackalloc double[3];
        for (var a = 0; a < 3; a++)
        {
            var grid = Math.Clamp(p[a], 0, size[a] - 1) / spacing[a];
            low[a] = Math.Min((int)grid, nodes[a] - 2 < 0 ? 0 : nodes[a] - 2);
            fraction[a] = nodes[a] == 1 ? 0 : grid - low[a];
        }

        displacement.Clear();
        for (var corner = 0; corner < 8; corner++)
        {
            var weight = 1.0;
            var index = 0;
            for (var a = 0; a < 3; a++)
            {
                var upper = (corner >> (2 - a)) & 1;
                weight *= upper == 1 ? fraction[a] : 1 - fraction[a];
                index = (index * nodes[a]) + Math.Min(low[a] + upper, nodes[a] - 1);
            }

            if (weight != 0)
            {
                for (var a = 0; a < 3; a++)
                {
                    displacement[a] += weight * jitter[(index * 3) + a];
                }
            }
        }
    }

    private static double Normal(Random random)
    {
        var u = 1.0 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>A mirror of each axis and a permutation of the transposable axes of equal size.</summary>
    private readonly record struct SimpleAugment(int[] Size, bool[] Mirror, int[] Permutation)
    {
        public static SimpleAugment Draw(int[] size, SemanticAugmentationOptions options, Random random)
        {
            var permutation = new[] { 0, 1, 2 };
            if (options.Transpose)
            {
                bool[] allowed = [options.TransposableAxes.Z, options.TransposableAxes.Y, options.TransposableAxes.X];
                var group = Enumerable.Range(0, 3).Where(a => allowed[a]).GroupBy(a => size[a]);
                foreach (var axes in group.Select(g => g.ToArray()).Where(g => g.Length > 1))
                {
                    var shuffled = axes.ToArray();
                    random.Shuffle(shuffled);
                    for (var k = 0; k < axes.Length; k++)
                    {
                        permutation[axes[k]] = shuffled[k];
                    }
                }
            }

            var mirror = new bool[3];
            for (var a = 0; a < 3; a++)
            {
                mirror[a] = options.Mirror && random.Next(2) == 1;
            }

            return new SimpleAugment(size, mirror, permutation);
        }

        /// <summary>Output voxel p reads input position q with q[permutation[a]] = p[a], each axis then mirrored if drawn.</summary>
        public void Apply(Span<double> p)
        {
            Span<double> q = stackalloc double[3];
            for (var a = 0; a < 3; a++)
            {
                q[Permutation[a]] = p[a];
            }

            for (var a = 0; a < 3; a++)
            {
                p[a] = Mirror[a] ? Size[a] - 1 - q[a] : q[a];
            }
        }
    }
}
