using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>Augmentations of ELEPHANT's training crops (§3.1); zero turns one off.</summary>
/// <param name="ScaleBase">Scale augmentation base f (0 ≤ f &lt; 1).</param>
/// <param name="RotationDegrees">Largest rotation about Z in whole degrees.</param>
/// <param name="Contrast">Contrast augmentation a (0 ≤ a ≤ 1).</param>
/// <param name="Flips">Flip each axis with probability 1/2.</param>
internal sealed record CropAugmentation(double ScaleBase = 0, int RotationDegrees = 0, double Contrast = 0, bool Flips = true);

/// <summary>
/// Draws ELEPHANT's training crops (<c>SegmentationDatasetBase._generate_item</c>). For a labelled frame a labelled voxel
/// b is chosen uniformly and the crop origin per axis uniformly from [max(0, b − (e − 1)), min(size − e, b)] so the crop
/// of extent e contains b; an unlabelled frame (the self-supervised prior) takes a uniform origin. Then, in ELEPHANT's
/// order: scale augmentation picks the extent, rotation enlarges it in Y and X, the crop is cut, contrast augmentation
/// dims or brightens the nuclei, each Z slice is rotated and centre-cropped, the crop is resized to the nominal crop size
/// (trilinear with aligned corners for intensities, nearest for labels) and each axis is flipped with probability 1/2.
/// </summary>
/// <remarks>
/// Two departures from ELEPHANT: rotation works without scale augmentation (ELEPHANT raises then), and the rotated
/// slices are centre-cropped to the scaled extent rather than to the nominal crop size, so that scaling survives
/// rotation (ELEPHANT's crop to the nominal size undoes the scaling of Y and X whenever a rotation is drawn).
/// </remarks>
internal sealed class CropSampler
{
    /// <summary>Draws with a rotation whose label crop came out empty are redrawn at most this often before one is drawn unrotated.</summary>
    internal const int MaxRotationAttempts = 100;

    private readonly Volume<float> input;
    private readonly Volume<byte>? labels;
    private readonly int[] pool;
    private readonly CropAugmentation augmentation;
    private readonly double[] scaleFactors;

    /// <summary>A sampler of labelled crops around labelled voxels.</summary>
    internal CropSampler(TrainingFrame frame, (int Depth, int Height, int Width) cropSize, CropAugmentation? augmentation = null)
        : this(frame.Normalised, frame.Labels, cropSize, augmentation ?? new CropAugmentation())
    {
    }

    private CropSampler(Volume<float> input, Volume<byte>? labels, (int Depth, int Height, int Width) cropSize, CropAugmentation augmentation)
    {
        this.input = input;
        this.labels = labels;
        this.augmentation = augmentation;
        var pool = new List<int>();
        if (labels is not null)
        {
            var span = labels.Span;
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] > 0)
                {
                    pool.Add(i);
                }
            }
        }

        this.pool = [.. pool];
        Crop = (Math.Min(cropSize.Depth, input.Depth), Math.Min(cropSize.Height, input.Height), Math.Min(cropSize.Width, input.Width));

        // ELEPHANT's per-axis factor f · min(scales) / scales_i: axes with coarse voxels are scaled less.
        var voxel = input.VoxelSize;
        double[] scales = [voxel.Z, voxel.Y, voxel.X];
        scaleFactors = scales.Select(s => augmentation.ScaleBase * scales.Min() / s).ToArray();
    }

    /// <summary>Crop size after clipping to the frame.</summary>
    internal (int Depth, int Height, int Width) Crop { get; }

    /// <summary>Whether the frame has any labelled voxel.</summary>
    internal bool HasLabels => pool.Length > 0;

    /// <summary>A sampler of unlabelled crops at uniformly random positions (the self-supervised prior: no contrast, rotation or flips).</summary>
    internal static CropSampler Unlabelled(Volume<float> normalised, (int Depth, int Height, int Width) cropSize, double scaleBase) =>
        new(normalised, null, cropSize, new CropAugmentation(scaleBase, Flips: false));

    /// <summary>Writes one random crop of the frame and, for a labelled frame, its labels into the destinations (crop-sized, C order).</summary>
    internal void Draw(Random random, Span<float> input, Span<byte> labels)
    {
        if (this.labels is not null && !HasLabels)
        {
            throw new InvalidOperationException("The frame has no labelled voxel to crop around.");
        }

        int[] size = [this.input.Depth, this.input.Height, this.input.Width];
        int[] crop = [Crop.Depth, Crop.Height, Crop.Width];
        for (var attempt = 0; ; attempt++)
        {
            var rotate = augmentation.RotationDegrees > 0 && attempt < MaxRotationAttempts;
            var extent = ItemSize(random, size, crop);
            var target = (int[])extent.Clone();
            var theta = 0;
            if (rotate)
            {
                theta = random.Next(-augmentation.RotationDegrees, augmentation.RotationDegrees + 1);
                var radians = theta * (Math.PI / 180.0);
                var enlargement = Math.Abs(Math.Cos(radians)) + Math.Abs(Math.Sin(radians));
                for (var axis = 1; axis < 3; axis++)
                {
                    extent[axis] = Math.Min(size[axis], (int)Math.Ceiling(extent[axis] * enlargement));
                }
            }

            var origin = Origin(random, size, extent);
            var cropInput = new float[extent[0] * extent[1] * extent[2]];
            var cropLabels = this.labels is null ? null : new byte[cropInput.Length];
            Cut(origin, extent, cropInput, cropLabels);
            if (cropLabels is not null && augmentation.Contrast > 0)
            {
                ApplyContrast(random, augmentation.Contrast, cropInput, cropLabels);
            }

            if (rotate)
            {
                (cropInput, cropLabels, extent) = RotateSlices(theta, extent, (target[1], target[2]), cropInput, cropLabels);
                if (cropLabels is not null && !cropLabels.AsSpan().ContainsAnyExcept((byte)0))
                {
                    continue;
                }
            }

            if (extent[0] != crop[0] || extent[1] != crop[1] || extent[2] != crop[2])
            {
                Resize(extent, crop, cropInput, input, cropLabels, labels);
            }
            else
            {
                cropInput.CopyTo(input);
                cropLabels?.CopyTo(labels);
            }

            if (augmentation.Flips)
            {
                Flip(random, crop, input, cropLabels is null ? default : labels);
            }

            return;
        }
    }

    /// <summary>The multiplier of nucleus (border and centre) intensities: ((m_fg − m_bg)·U(a, 1) + m_bg) / m_fg, or null when the crop lacks nucleus or background labels.</summary>
    internal static double? ContrastFactor(Random random, double contrast, ReadOnlySpan<float> input, ReadOnlySpan<byte> labels)
    {
        double foreground = 0, background = 0;
        long foregroundCount = 0, backgroundCount = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            switch (labels[i])
            {
                case 2 or 3 or 5 or 6:
                    foreground += input[i];
                    foregroundCount++;
                    break;
                case 1 or 4:
                    background += input[i];
                    backgroundCount++;
                    break;
            }
        }

        if (foregroundCount == 0 || backgroundCount == 0)
        {
            return null;
        }

        var (fg, bg) = (foreground / foregroundCount, background / backgroundCount);
        if (fg == 0)
        {
            return null; // ELEPHANT would divide by zero; black nuclei have no contrast to change.
        }

        var u = contrast + ((1 - contrast) * random.NextDouble());
        return (((fg - bg) * u) + bg) / fg;
    }

    private static void ApplyContrast(Random random, double contrast, Span<float> input, ReadOnlySpan<byte> labels)
    {
        if (ContrastFactor(random, contrast, input, labels) is not double factor)
        {
            return;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is 2 or 3 or 5 or 6)
            {
                input[i] = (float)(input[i] * factor);
            }
        }
    }

    /// <summary>Rotates every Z slice and centre-crops it to <paramref name="target"/> (or less where the rotated slice is smaller).</summary>
    private static (float[] Input, byte[]? Labels, int[] Extent) RotateSlices(int theta, int[] extent, (int Height, int Width) target, float[] input, byte[]? labels)
    {
        var rotation = SliceRotation.Create(extent[1], extent[2], theta);
        var (rows, columns) = (rotation.Rows, rotation.Columns);
        var r0 = Math.Max(0, (rows - target.Height) / 2);
        var c0 = Math.Max(0, (columns - target.Width) / 2);
        var height = Math.Min(target.Height, rows - r0);
        var width = Math.Min(target.Width, columns - c0);
        var slice = extent[1] * extent[2];
        var outInput = new float[extent[0] * height * width];
        var outLabels = labels is null ? null : new byte[outInput.Length];
        Parallel.For(0, extent[0], z =>
        {
            var rotated = new float[rows * columns];
            var rotatedLabels = labels is null ? null : new byte[rows * columns];
            rotation.Bilinear(input.AsSpan(z * slice, slice), rotated);
            if (labels is not null)
            {
                rotation.Nearest(labels.AsSpan(z * slice, slice), rotatedLabels);
            }

            for (var y = 0; y < height; y++)
            {
                var from = ((r0 + y) * columns) + c0;
                var to = ((z * height) + y) * width;
                rotated.AsSpan(from, width).CopyTo(outInput.AsSpan(to, width));
                if (outLabels is not null)
                {
                    rotatedLabels.AsSpan(from, width).CopyTo(outLabels.AsSpan(to, width));
                }
            }
        });

        return (outInput, outLabels, [extent[0], height, width]);
    }

    /// <summary>Resizes to the nominal crop: intensities trilinear with aligned corners, labels nearest (PyTorch's <c>F.interpolate</c>).</summary>
    private static void Resize(int[] extent, int[] crop, float[] input, Span<float> inputOut, byte[]? labels, Span<byte> labelsOut)
    {
        using var scope = DisposeScope.Enter();
        long[] shape = [1, 1, extent[0], extent[1], extent[2]];
        long[] size = [crop[0], crop[1], crop[2]];
        Functional.Interpolate(Tensor.FromSpan<float>(input, shape), size, InterpolationMode.Trilinear, alignCorners: true).CopyTo(inputOut);
        if (labels is not null)
        {
            var asFloat = labels.Select(v => (float)v).ToArray();
            var resized = new float[labelsOut.Length];
            Functional.Interpolate(Tensor.FromSpan<float>(asFloat, shape), size).CopyTo<float>(resized);
            for (var i = 0; i < resized.Length; i++)
            {
                labelsOut[i] = (byte)resized[i];
            }
        }
    }

    private static void Flip(Random random, int[] crop, Span<float> input, Span<byte> labels)
    {
        for (var axis = 0; axis < 3; axis++)
        {
            if (random.Next(2) == 0)
            {
                continue;
            }

            var (outer, length, inner) = axis switch
            {
                0 => (1, crop[0], crop[1] * crop[2]),
                1 => (crop[0], crop[1], crop[2]),
                _ => (crop[0] * crop[1], crop[2], 1),
            };
            for (var o = 0; o < outer; o++)
            {
                for (var i = 0; i < inner; i++)
                {
                    var start = (o * length * inner) + i;
                    for (int a = 0, b = length - 1; a < b; a++, b--)
                    {
                        var (p, q) = (start + (a * inner), start + (b * inner));
                        (input[p], input[q]) = (input[q], input[p]);
                        if (!labels.IsEmpty)
                        {
                            (labels[p], labels[q]) = (labels[q], labels[p]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The crop extent before rotation: the nominal crop, or under scale augmentation a uniform integer in [min(size, round(c·(1 − f_i))), min(size, ⌊c·(1 + f_i)⌋)] (at least 1).</summary>
    private int[] ItemSize(Random random, int[] size, int[] crop)
    {
        if (!(scaleFactors.Sum() > 0))
        {
            return (int[])crop.Clone();
        }

        var item = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var low = Math.Max(1, Math.Min(size[axis], (int)Math.Round(crop[axis] * (1.0 - scaleFactors[axis]), MidpointRounding.ToEven)));
            var high = Math.Max(low, Math.Min(size[axis], (int)(crop[axis] * (1.0 + scaleFactors[axis]))));
            item[axis] = random.Next(low, high + 1);
        }

        return item;
    }

    private int[] Origin(Random random, int[] size, int[] extent)
    {
        var origin = new int[3];
        if (labels is null)
        {
            for (var axis = 0; axis < 3; axis++)
            {
                origin[axis] = random.Next(0, size[axis] - extent[axis] + 1);
            }

            return origin;
        }

        var b = pool[random.Next(pool.Length)];
        var plane = size[1] * size[2];
        int[] centre = [b / plane, b / size[2] % size[1], b % size[2]];
        for (var axis = 0; axis < 3; axis++)
        {
            var low = Math.Max(0, centre[axis] - (extent[axis] - 1));
            var high = Math.Min(size[axis] - extent[axis], centre[axis]);
            origin[axis] = random.Next(low, high + 1);
        }

        return origin;
    }

    private void Cut(int[] origin, int[] extent, Span<float> input, Span<byte> labels)
    {
        var index = 0;
        for (var z = 0; z < extent[0]; z++)
        {
            for (var y = 0; y < extent[1]; y++, index += extent[2])
            {
                this.input.Row(origin[0] + z, origin[1] + y).Slice(origin[2], extent[2]).CopyTo(input.Slice(index, extent[2]));
                if (this.labels is not null)
                {
                    this.labels.Row(origin[0] + z, origin[1] + y).Slice(origin[2], extent[2]).CopyTo(labels.Slice(index, extent[2]));
                }
            }
        }
    }
}
