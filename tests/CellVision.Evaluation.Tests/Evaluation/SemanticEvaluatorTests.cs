using CellVision.Core.Volumes;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>Hand-counted scores, the values set when a ratio is undefined, and the arguments that are refused.</summary>
public sealed class SemanticEvaluatorTests
{
    [Fact]
    public void Counts_on_a_small_volume_with_masks_and_border()
    {
        using var probabilities = new Volume<float>(3, 3, 4);
        using var labels = new Volume<ushort>(3, 3, 4);
        using var metric = new Volume<byte>(3, 3, 4);
        metric.Span.Fill(255);
        probabilities[1, 1, 1] = 0.9f; labels[1, 1, 1] = 2;   // TP
        probabilities[1, 1, 2] = 0.5f;                          // FP: 0.5 counts as predicted
        labels[0, 1, 1] = 2;                                    // outside the border crop
        labels[1, 1, 2] = 7;                                    // another class is background for class 2
        var score = SemanticEvaluator.Evaluate(probabilities, labels, 2, metricMask: metric, options: new SemanticEvaluationOptions { Border = 1 }).Single();
        Assert.Equal((2L, 1L, 1L, 0L, 0L), (score.Voxels, score.TruePositives, score.FalsePositives, score.FalseNegatives, score.TrueNegatives));
        Assert.Equal(2.0 / 3, score.F1, 12);
        Assert.Equal(0.5, score.Jaccard, 12);
        Assert.Equal((0.5, 1.0), (score.Precision, score.Recall));

        metric[1, 1, 2] = 0;
        score = SemanticEvaluator.Evaluate(probabilities, labels, 2, metricMask: metric, options: new SemanticEvaluationOptions { Border = 1 }).Single();
        Assert.Equal((1L, 1L, 0L), (score.Voxels, score.TruePositives, score.FalsePositives));
        Assert.Equal(1.0, score.F1);
    }

    [Fact]
    public void Undefined_ratios_take_scipys_and_incasems_values()
    {
        using var probabilities = new Volume<float>(2, 2, 2);
        using var labels = new Volume<byte>(2, 2, 2);
        var score = SemanticEvaluator.Evaluate(probabilities, labels, 1, options: new SemanticEvaluationOptions { Border = 0, Thresholds = [0.5] }).Single();
        Assert.True(double.IsNaN(score.F1));
        Assert.Equal(1.0, score.Jaccard);
        Assert.Equal((0.0, 0.0), (score.Precision, score.Recall));
        Assert.Equal(8, score.TrueNegatives);
    }

    [Fact]
    public void Bad_shapes_borders_and_thresholds_are_refused()
    {
        using var probabilities = new Volume<float>(4, 4, 4);
        using var labels = new Volume<byte>(4, 4, 5);
        using var fitting = new Volume<byte>(4, 4, 4);
        Assert.Contains("4×4×5", Assert.Throws<ArgumentException>(() => SemanticEvaluator.Evaluate(probabilities, labels, 1, options: new SemanticEvaluationOptions { Border = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("border of 2", Assert.Throws<ArgumentException>(() => SemanticEvaluator.Evaluate(probabilities, fitting, 1, options: new SemanticEvaluationOptions { Border = 2 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SemanticEvaluator.Evaluate(probabilities, fitting, 1, options: new SemanticEvaluationOptions { Border = 0, Thresholds = [1.5] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SemanticEvaluator.Evaluate(probabilities, fitting, 1, options: new SemanticEvaluationOptions { Border = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SemanticEvaluator.Evaluate(probabilities, fitting, 1, options: new SemanticEvaluationOptions { Thresholds = [] }));
    }
}
