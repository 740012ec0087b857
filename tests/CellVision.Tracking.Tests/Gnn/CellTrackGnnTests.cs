using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>The GNN model's behaviour apart from parity: dropout, batching, thresholds, cosine, loading, checks.</summary>
[Collection(LibtorchGeneratorDefinition.Name)] // it seeds libtorch's process-wide generator
public sealed class CellTrackGnnTests
{
    [Fact]
    public void Training_mode_applies_dropout_and_evaluation_mode_does_not()
    {
        TorchRuntime.ManualSeed(2);
        using var model = new CellTrackGnn();
        using var graph = GnnModelGraphs.Create(1, 16, embedding: true);
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        model.Train();
        var first = model.Forward(graph).ToArray<float>();
        var second = model.Forward(graph).ToArray<float>();
        Assert.NotEqual(first, second);

        var predicted = model.PredictLogits(graph);
        Assert.True(model.IsTraining);
        model.Eval();
        Assert.Equal(predicted, model.Forward(graph).ToArray<float>());
        Assert.Equal(predicted, model.Forward(graph).ToArray<float>());
        Assert.NotEqual(first, predicted);
    }

    [Fact]
    public void A_batch_is_the_disjoint_union_of_its_graphs()
    {
        TorchRuntime.ManualSeed(4);
        using var model = new CellTrackGnn(CellTrackGnnOptions.TwoD);
        using var a = GnnModelGraphs.Create(5, 13, embedding: true);
        using var b = GnnModelGraphs.Create(6, 13, embedding: true);
        using var batch = CellTrackGnnGraph.Collate([a, b]);
        Assert.Equal(a.NodeCount + b.NodeCount, batch.NodeCount);
        Assert.Equal(a.EdgeCount + b.EdgeCount, batch.EdgeCount);
        Assert.Equal(ScalarType.Int64, batch.EdgeIndex.ScalarType);
        var edges = batch.EdgeIndex.ToArray<long>();
        Assert.Equal(a.NodeCount, edges[(int)a.EdgeCount..(int)batch.EdgeCount].Min() - b.EdgeIndex.ToArray<long>()[..(int)b.EdgeCount].Min());

        float[] separate = [.. model.PredictLogits(a), .. model.PredictLogits(b)];
        var together = model.PredictLogits(batch);
        Assert.Equal(separate.Length, together.Length);
        for (var i = 0; i < separate.Length; i++)
        {
            Assert.Equal(separate[i], together[i], 1e-5f);
        }

        var unlabelled = a with { Labels = null };   // shares a's tensors: not disposed on its own
        Assert.Throws<ArgumentException>(() => CellTrackGnnGraph.Collate([unlabelled, b]));
        Assert.Throws<ArgumentException>(() => CellTrackGnnGraph.Collate([]));
    }

    [Fact]
    public void Validation_thresholds_the_logit_at_half_and_inference_the_probability()
    {
        using var scope = DisposeScope.Enter();
        var logits = Tensor.FromSpan<float>([0.3f, 0.5f, -0.1f, 2f, 1e-9f], [5]);
        var labels = Tensor.FromSpan<float>([1f, 1f, 0f, 0f, 0f], [5]);

        // Positive by logit ≥ 0.5: 0.5 and 2 → right on 0.5 and -0.1 and 1e-9, wrong on 0.3 and 2.
        Assert.Equal(3.0 / 5, CellTrackGnnTrainer.ValidationAccuracy(logits, labels), 1e-12);
        Assert.Equal([true, true, false, true, false], CellTrackGnn.ActiveEdges(logits).ToArray<bool>());
    }

    [Fact]
    public void The_loss_weights_positives_by_the_batchs_negatives_per_positive()
    {
        using var scope = DisposeScope.Enter();
        var logits = Tensor.FromSpan<float>([0.3f, -1.5f, 2f, 0.1f], [4]);
        var labels = Tensor.FromSpan<float>([1f, 0f, 0f, 0f], [4]);
        static double Softplus(double z) => Math.Log(1 + Math.Exp(z));
        var expected = ((3 * Softplus(-0.3)) + Softplus(-1.5) + Softplus(2) + Softplus(0.1)) / 4;
        Assert.Equal(expected, CellTrackGnnTrainer.Loss(logits, labels).ToScalar(), 1e-6);

        // Without positives the weight is 0 and only the negatives count.
        var negatives = Tensor.Zeros([4]);
        Assert.Equal((Softplus(0.3) + Softplus(-1.5) + Softplus(2) + Softplus(0.1)) / 4, CellTrackGnnTrainer.Loss(logits, negatives).ToScalar(), 1e-6);
    }

    [Fact]
    public void Cosine_similarity_is_torch_1_8s_for_small_and_zero_rows()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.FromSpan<float>([3f, 4f, 0f, 0f, 1e-5f, 0f], [3, 2]);
        var b = Tensor.FromSpan<float>([4f, 3f, 1f, 2f, 1e-5f, 0f], [3, 2]);
        var cos = GraphTensors.CosineSimilarity(a, b).ToArray<float>();
        Assert.Equal(24f / 25, cos[0], 1e-6f);
        Assert.Equal(0f, cos[1]);

        // |a|²|b|² = 1e-20 is below eps² = 1e-16: a·b / 1e-8 = 0.01, where a per-norm clamp would give 1.
        Assert.Equal(0.01f, cos[2], 1e-6f);
    }

    [Fact]
    public void Lightning_checkpoint_keys_load_and_mismatches_are_refused()
    {
        TorchRuntime.ManualSeed(8);
        using var source = new CellTrackGnn();
        using var state = source.StateDict();
        var lightning = state.ToDictionary(p => "model." + p.Key, p => p.Value);
        TorchRuntime.ManualSeed(9);
        using var target = new CellTrackGnn();
        target.LoadReferenceWeights(lightning);
        using (var scope = DisposeScope.Enter())
        {
            Assert.All(target.StateDict(), p => Assert.True(p.Value.Equal(state[p.Key]).ToArray<bool>().All(x => x)));
        }

        using var geometry = new CellTrackGnn(new CellTrackGnnOptions { UseEmbedding = false });
        Assert.Throws<StateDictMismatchException>(() => geometry.LoadReferenceWeights(state));
    }

    [Fact]
    public void Inputs_of_the_wrong_shape_or_kind_are_refused()
    {
        using var model = new CellTrackGnn();
        using var geometry = new CellTrackGnn(new CellTrackGnnOptions { UseEmbedding = false });
        using var graph = GnnModelGraphs.Create(1, 16, embedding: true);
        using var flat = GnnModelGraphs.Create(1, 13, embedding: true);
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => model.Forward(flat));
        Assert.Throws<ArgumentException>(() => model.Forward(graph with { Embedding = null }));
        Assert.Throws<ArgumentException>(() => geometry.Forward(graph));
        Assert.Throws<ArgumentException>(() => model.Forward(graph with { EdgeIndex = graph.EdgeIndex.To(ScalarType.Int32) }));
        using var trainer = new CellTrackGnnTrainer(model);
        Assert.Throws<ArgumentException>(() => trainer.Step(graph with { Labels = null }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellTrackGnnTrainer(model, new CellTrackGnnTrainingOptions { LearningRate = 0 }));
    }

    [Fact]
    public void The_shared_mlp_places_activations_and_dropout_as_the_reference()
    {
        using var encoder = new Mlp(16, [64, 16], 0.4);
        using var classifier = new Mlp(64, [128, 32, 1], 0.2, activateLast: false);
        using var plain = new Mlp(8, [4, 2], dropout: null);
        Assert.Equal(6, encoder.Layers.Count);
        Assert.Equal(7, classifier.Layers.Count);
        Assert.Equal(4, plain.Layers.Count);
        using var keys = classifier.StateDict();
        Assert.Equal(["fc_layers.0.weight", "fc_layers.0.bias", "fc_layers.3.weight", "fc_layers.3.bias", "fc_layers.6.weight", "fc_layers.6.bias"], keys.Keys);
        Assert.Throws<ArgumentException>(() => new Mlp(8, [], 0.1));
    }
}
