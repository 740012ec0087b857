namespace CellVision.Segmentation;

/// <summary>
/// Draws training blocks as incasem's pipeline does (spec B.4): a data set with probability proportional to its
/// labelled volume, an output block uniformly inside its labels, kept or redrawn by the foreground and mask rules
/// (<see cref="SemanticSamplingOptions"/>) on the block before augmentation, then augmented
/// (<see cref="SemanticAugmentationOptions"/>). Outside the data the raw image reads 0.5 (on the [0, 1] scale), the
/// labels 0 and both masks 1, as the reference pads them.
/// </summary>
internal sealed class SemanticSampleSource
{
    private const float RawPad = 0.5f;
    private readonly IReadOnlyList<SemanticTrainingVolume> volumes;
    private readonly int[] input;
    private readonly int[] output;
    private readonly int[] context;
    private readonly SemanticSamplingOptions sampling;
    private readonly SemanticAugmentationOptions augmentation;
    private readonly Random random;
    private readonly double[] cumulative;

    public SemanticSampleSource(IReadOnlyList<SemanticTrainingVolume> volumes, (int Z, int Y, int X) inputSize, (int Z, int Y, int X) outputSize, SemanticSamplingOptions sampling, SemanticAugmentationOptions augmentation, Random random)
    {
        this.volumes = volumes;
        input = [inputSize.Z, inputSize.Y, inputSize.X];
        output = [outputSize.Z, outputSize.Y, outputSize.X];
        context = [.. input.Zip(output, (i, o) => (i - o) / 2)];
        this.sampling = sampling.Validate();
        this.augmentation = augmentation.Validate();
        this.random = random;
        if (volumes.Count == 0)
        {
            throw new ArgumentException("Training needs at least one data set.", nameof(volumes));
        }

        for (var v = 0; v < volumes.Count; v++)
        {
            volumes[v].Validate($"Data set {v}");
            var labels = volumes[v].Labels;
            if (labels.Depth < output[0] || labels.Height < output[1] || labels.Width < output[2])
            {
                throw new ArgumentException($"Data set {v}: its labels ({labels.Depth}×{labels.Height}×{labels.Width}) are smaller than the network's output block ({output[0]}×{output[1]}×{output[2]}).", nameof(volumes));
            }
        }

        var total = 0.0;
        cumulative = [.. volumes.Select(v => total += v.Labels.Length)];
    }

    public SemanticSample Next()
    {
        var sample = new SemanticSample(input[0] * input[1] * input[2], output[0] * output[1] * output[2]);
        for (var attempt = 0; attempt < sampling.MaximumAttempts; attempt++)
        {
            var v = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
            v = v < 0 ? ~v : v + 1;
            v = Math.Min(v, volumes.Count - 1);
            var labels = volumes[v].Labels;
            var start = (random.Next(labels.Depth - output[0] + 1), random.Next(labels.Height - output[1] + 1), random.Next(labels.Width - output[2] + 1));
            if (!Accept(volumes[v], start))
            {
                continue;
            }

            sample.Volume = v;
            sample.OutputStart = start;
            Build(volumes[v], start, sample);
            return sample;
        }

        throw new InvalidOperationException($"No training block passed the foreground and mask rules in {sampling.MaximumAttempts} draws; check that the labels hold foreground and the mask covers the data.");
    }

    private bool Accept(SemanticTrainingVolume volume, (int Z, int Y, int X) start)
    {
        long foreground = 0, masked = 0, count = (long)output[0] * output[1] * output[2];
        for (var z = start.Z; z < start.Z + output[0]; z++)
        {
            for (var y = start.Y; y < start.Y + output[1]; y++)
            {
                var row = volume.Labels.Row(z, y).Slice(start.X, output[2]);
                foreach (var label in row)
                {
                    foreground += label != 0 ? 1 : 0;
                }

                if (volume.Mask is { } mask)
                {
                    foreach (var inside in mask.Row(z, y).Slice(start.X, output[2]))
                    {
                        masked += inside != 0 ? 1 : 0;
                    }
                }
            }
        }

        if (foreground < sampling.MinimumForeground * count && random.NextDouble() < sampling.ForegroundRejectProbability)
        {
            return false;
        }

        var maskedFraction = volume.Mask is null ? 1.0 : masked / (double)count;
        return !(maskedFraction < sampling.MinimumMasked && random.NextDouble() < sampling.MaskRejectProbability);
    }

    private void Build(SemanticTrainingVolume volume, (int Z, int Y, int X) start, SemanticSample sample)
    {
        var map = new SemanticBlockMap(input, augmentation, random);
        int[] origin = [start.Z - context[0], start.Y - context[1], start.X - context[2]];
        Span<double> source = stackalloc double[3];
        var i = 0;
        double sum = 0;
        for (var z = 0; z < input[0]; z++)
        {
            for (var y = 0; y < input[1]; y++)
            {
                for (var x = 0; x < input[2]; x++)
                {
                    map.Source(z, y, x, source);
                    var value = SampleRaw(volume, origin[0] + source[0] + volume.RawOffset.Z, origin[1] + source[1] + volume.RawOffset.Y, origin[2] + source[2] + volume.RawOffset.X);
                    sample.Image[i++] = value;
                    sum += value;
                }
            }
        }

        Intensity(sample.Image, (float)(sum / sample.Image.Length));
        var o = 0;
        for (var z = context[0]; z < context[0] + output[0]; z++)
        {
            for (var y = context[1]; y < context[1] + output[1]; y++)
            {
                for (var x = context[2]; x < context[2] + output[2]; x++)
                {
                    map.Source(z, y, x, source);
                    var (sz, sy, sx) = (Nearest(origin[0] + source[0]), Nearest(origin[1] + source[1]), Nearest(origin[2] + source[2]));
                    var inside = sz >= 0 && sy >= 0 && sx >= 0 && sz < volume.Labels.Depth && sy < volume.Labels.Height && sx < volume.Labels.Width;
                    sample.Labels[o] = inside ? volume.Labels[sz, sy, sx] : 0;
                    sample.Mask[o] = !inside || volume.Mask is null || volume.Mask[sz, sy, sx] != 0;
                    sample.MetricMask[o] = !inside || volume.MetricMask is null || volume.MetricMask[sz, sy, sx] != 0;
                    o++;
                }
            }
        }
    }

    /// <summary>The change of contrast and brightness, on the [0, 1] scale, then the map to [−1, 1].</summary>
    private void Intensity(float[] image, float mean)
    {
        var (scale, shift) = (1f, 0f);
        if (augmentation.Intensity)
        {
            scale = (float)Uniform(augmentation.IntensityScale.Minimum, augmentation.IntensityScale.Maximum);
            shift = (float)Uniform(augmentation.IntensityShift.Minimum, augmentation.IntensityShift.Maximum);
        }

        for (var i = 0; i < image.Length; i++)
        {
            var value = augmentation.Intensity ? Math.Clamp(mean + ((image[i] - mean) * scale) + shift, 0f, 1f) : image[i];
            image[i] = (value * 2f) - 1f;
        }
    }

    private double Uniform(double minimum, double maximum) => minimum + (random.NextDouble() * (maximum - minimum));

    private static int Nearest(double coordinate) => (int)Math.Floor(coordinate + 0.5);

    /// <summary>Linear interpolation of the raw image on the [0, 1] scale; neighbours outside it read 0.5.</summary>
    private static float SampleRaw(SemanticTrainingVolume volume, double z, double y, double x)
    {
        var raw = volume.Raw;
        var (z0, y0, x0) = ((int)Math.Floor(z), (int)Math.Floor(y), (int)Math.Floor(x));
        var (fz, fy, fx) = ((float)(z - z0), (float)(y - y0), (float)(x - x0));
        if (fz == 0 && fy == 0 && fx == 0)
        {
            return Voxel(raw, z0, y0, x0);
        }

        var value = 0f;
        for (var dz = 0; dz < 2; dz++)
        {
            var wz = dz == 0 ? 1 - fz : fz;
            for (var dy = 0; dy < 2; dy++)
            {
                var wy = dy == 0 ? 1 - fy : fy;
                for (var dx = 0; dx < 2; dx++)
                {
                    var weight = wz * wy * (dx == 0 ? 1 - fx : fx);
                    if (weight != 0)
                    {
                        value += weight * Voxel(raw, z0 + dz, y0 + dy, x0 + dx);
                    }
                }
            }
        }

        return value;
    }

    private static float Voxel(Core.Volumes.Volume<byte> raw, int z, int y, int x) =>
        z >= 0 && y >= 0 && x >= 0 && z < raw.Depth && y < raw.Height && x < raw.Width ? raw[z, y, x] * (1f / 255f) : RawPad;
}
