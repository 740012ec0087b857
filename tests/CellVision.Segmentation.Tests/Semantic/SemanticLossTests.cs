using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>The balancing scales and the loss on hand-worked cases.</summary>
public sealed class SemanticLossTests
{
    [Fact]
    public void Each_present_class_weighs_one_over_K_times_its_fraction_and_absent_classes_weigh_nothing()
    {
        int[] labels = [0, 0, 0, 1, 2, 1];
        bool[] mask = [true, true, true, true, false, false];
        var scales = new float[labels.Length];

        SemanticLoss.BalanceScales(labels, mask, 3, scales);

        // Masked in: three 0s and one 1, so fractions 3/4 and 1/4; class 2 only appears outside the mask.
        Assert.Equal([(float)(1.0 / 3 / 0.75), (float)(1.0 / 3 / 0.75), (float)(1.0 / 3 / 0.75), (float)(1.0 / 3 / 0.25), 0f, 0f], scales);
    }

    [Fact]
    public void Fractions_are_clipped_before_weighting()
    {
        var labels = new int[200];
        labels[0] = 1;
        var mask = Enumerable.Repeat(true, 200).ToArray();
        var scales = new float[200];

        SemanticLoss.BalanceScales(labels, mask, 2, scales);

        // Class 1 holds 0.5 % of the voxels, clipped up to 1 %: weight 1 / (2 · 0.01) = 50, not 100; class 0 holds
        // 99.5 %, clipped down to 99 %.
        Assert.Equal(50f, scales[0]);
        Assert.Equal((float)(1.0 / 2 / 0.99), scales[1]);
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused_with_its_voxel()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SemanticLoss.BalanceScales([0, 2], [true, true], 2, new float[2]));

        Assert.Contains("Voxel 1 has the label 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loss_is_the_scaled_cross_entropy_over_the_sum_of_scales_and_zero_when_nothing_counts()
    {
        using var scope = DisposeScope.Enter();
        var logits = Tensor.FromSpan<float>([0f, 1f, 2f, 0f], [1, 2, 1, 1, 2]);
        var labels = Tensor.FromSpan<long>([0, 0], [1, 1, 1, 2]);
        var mask = Tensor.FromSpan<float>([1f, 1f], [1, 1, 1, 2]);
        var scales = Tensor.FromSpan<float>([0.5f, 2f], [1, 1, 1, 2]);

        var loss = SemanticLoss.Compute(logits, labels, mask, scales).ToScalar();

        // Voxel 0: logits (0, 2), label 0; voxel 1: logits (1, 0), label 0.
        var first = Math.Log(1 + Math.Exp(2));
        var second = Math.Log(Math.E + 1) - 1;
        Assert.Equal(((0.5 * first) + (2 * second)) / 2.5, loss, 1e-6);

        var trained = Tensor.FromSpan<float>([0f, 1f, 2f, 0f], [1, 2, 1, 1, 2]);
        trained.RequiresGrad = true;
        var empty = SemanticLoss.Compute(trained, labels, mask, Tensor.Zeros([1, 1, 1, 2]));
        empty.Backward();
        Assert.Equal(0.0, empty.ToScalar());
        Assert.All(trained.Grad!.ToArray<float>(), g => Assert.Equal(0f, g));
    }
}
