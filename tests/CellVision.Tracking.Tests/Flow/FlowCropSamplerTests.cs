using CellVision.Core.Volumes;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>Training crops copy, rotate, zoom and flip frames and flow vectors consistently.</summary>
public sealed class FlowCropSamplerTests
{
    private const int D = 3, H = 21, W = 21;

    [Fact]
    public void Without_augmentation_a_crop_copies_voxels_and_labels()
    {
        using var pair = Pair();
        var sampler = new FlowCropSampler(pair.Value, (3, 8, 9), 0, 0);
        var (input, labels) = Render(sampler, new CropGeometry([1, 6.5, 10], [1, 1, 1], 0, [false, false, false]), 3 * 8 * 9);
        // Output (z, y, x) shows source (z, y + 3, x + 6).
        for (var z = 0; z < 3; z++)
        for (var y = 0; y < 8; y++)
        for (var x = 0; x < 9; x++)
        {
            var i = (((z * 8) + y) * 9) + x;
            Assert.Equal(pair.Value.Current[z, y + 3, x + 6], input[i]);
            Assert.Equal(pair.Value.Next[z, y + 3, x + 6], input[(3 * 8 * 9) + i]);
            Assert.Equal(pair.Value.Label.X[z, y + 3, x + 6], labels[i]);
            Assert.Equal(pair.Value.Label.Mask[z, y + 3, x + 6], labels[(3 * 3 * 8 * 9) + i]);
        }
    }

    [Fact]
    public void A_quarter_turn_rotates_content_and_flow_vectors_alike()
    {
        using var pair = Pair();
        var sampler = new FlowCropSampler(pair.Value, (3, 9, 9), 0, 0);
        const int Length = 3 * 9 * 9;
        var (input, labels) = Render(sampler, new CropGeometry([1, 10, 10], [1, 1, 1], 90, [false, false, false]), Length);

        // The bright voxel 3 right of the centre turns (counter-clockwise as displayed, Y down) to 3 above it.
        Assert.Equal(1f, input[(((1 * 9) + 1) * 9) + 4], 4);
        Assert.True(input[(((1 * 9) + 4) * 9) + 7] < 0.02f);

        // The displacement (+8, 0, +0.5) voxels turns the same way: (0, −8, +0.5).
        var centre = (((1 * 9) + 4) * 9) + 4;
        Assert.Equal(0f, labels[centre], 5);
        Assert.Equal(-0.1f, labels[Length + centre], 5);
        Assert.Equal(0.05f, labels[(2 * Length) + centre], 6);
        Assert.Equal(1f, labels[(3 * Length) + centre]);
    }

    [Fact]
    public void Zoom_scales_and_flips_negate_the_flow_components()
    {
        using var pair = Pair();
        pair.Value.Current[1, 10, 13] = 0;
        pair.Value.Current[1, 10, 14] = 1;
        var sampler = new FlowCropSampler(pair.Value, (3, 9, 9), 0, 0);
        const int Length = 3 * 9 * 9;
        var (input, labels) = Render(sampler, new CropGeometry([1, 10, 10], [1, 0.5, 0.5], 0, [false, false, true]), Length);
        var centre = (((1 * 9) + 4) * 9) + 4;
        Assert.Equal(-0.05f, labels[centre], 6);       // 0.1 · 0.5, negated by the X flip
        Assert.Equal(0f, labels[Length + centre], 6);
        Assert.Equal(0.05f, labels[(2 * Length) + centre], 6);

        // Zoomed out by 2 and mirrored in X: the bright voxel 4 right of the centre lands 2 left of it.
        Assert.Equal(1f, input[(((1 * 9) + 4) * 9) + 2]);
        Assert.True(input[(((1 * 9) + 4) * 9) + 6] < 0.02f);
    }

    [Fact]
    public void Random_crops_hold_a_labelled_voxel()
    {
        using var pair = Pair(labelRadius: 1);
        var sampler = new FlowCropSampler(pair.Value, (3, 8, 8), 0.5, 180);
        var random = new Random(3);
        var input = new float[2 * 3 * 8 * 8];
        var labels = new float[4 * 3 * 8 * 8];
        for (var i = 0; i < 20; i++)
        {
            sampler.Draw(random, input, labels);
            Assert.Contains(labels.AsSpan(3 * 3 * 8 * 8).ToArray(), v => v == 1);
        }
    }

    private static (float[] Input, float[] Labels) Render(FlowCropSampler sampler, CropGeometry geometry, int length)
    {
        var input = new float[2 * length];
        var labels = new float[4 * length];
        sampler.Render(geometry, input, labels);
        return (input, labels);
    }

    /// <summary>Random frames with one bright voxel at (1, 10, 13); label (+8, 0, +0.5) voxels around the centre (10, 10).</summary>
    private static Holder Pair(int labelRadius = 10)
    {
        var random = new Random(1);
        var current = new Volume<float>(D, H, W);
        var next = new Volume<float>(D, H, W);
        for (var i = 0; i < current.Length; i++)
        {
            current.Span[i] = (float)(random.NextDouble() * 0.01);
            next.Span[i] = (float)random.NextDouble();
        }

        current[1, 10, 13] = 1;
        var norm = FlowNormFactor.Elephant;
        var (x, y, z, mask) = (new Volume<float>(D, H, W), new Volume<float>(D, H, W), new Volume<float>(D, H, W), new Volume<float>(D, H, W));
        for (var k = 0; k < D; k++)
        for (var j = 10 - labelRadius; j <= Math.Min(H - 1, 10 + labelRadius); j++)
        for (var i = 10 - labelRadius; i <= Math.Min(W - 1, 10 + labelRadius); i++)
        {
            x[k, j, i] = (float)(8 / norm.X);
            z[k, j, i] = (float)(0.5 / norm.Z);
            mask[k, j, i] = 1;
        }

        return new Holder(new FlowTrainingPair(current, next, new FlowLabel(x, y, z, mask, [(1, 10, 10)], norm)));
    }

    private sealed class Holder(FlowTrainingPair value) : IDisposable
    {
        public FlowTrainingPair Value { get; } = value;

        public void Dispose()
        {
            Value.Current.Dispose();
            Value.Next.Dispose();
            Value.Label.Dispose();
        }
    }
}
