using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Tracking;

/// <summary>
/// Trains <see cref="CellTrackGnn"/> as the reference's Lightning module does: binary cross entropy on the edge logits
/// with the positives weighted by #negatives / #positives of each batch, Adam with L2 weight decay, fp32, no clipping.
/// </summary>
public sealed class CellTrackGnnTrainer : IDisposable
{
    private readonly CellTrackGnn model;
    private readonly Adam optimizer;

    /// <summary>Creates the trainer; the model's parameters are optimised in place.</summary>
    /// <param name="model">The model, on the device to train on.</param>
    /// <param name="options">Optimiser settings; null for the reference's.</param>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not positive, the weight decay negative or the batch size below 1.</exception>
    public CellTrackGnnTrainer(CellTrackGnn model, CellTrackGnnTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new CellTrackGnnTrainingOptions();
        if (!(Options.LearningRate > 0) || !(Options.WeightDecay >= 0) || Options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The learning rate must be positive, the weight decay non-negative and the batch size at least 1.");
        }

        this.model = model;
        optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = Options.LearningRate, WeightDecay = Options.WeightDecay });
    }

    /// <summary>The settings the trainer was made with.</summary>
    public CellTrackGnnTrainingOptions Options { get; }

    /// <summary>Steps taken.</summary>
    public long StepCount => optimizer.StepCount;

    /// <summary>One optimisation step on a batch, in training mode (dropout on).</summary>
    /// <param name="batch">A labelled graph, usually the <see cref="CellTrackGnnGraph.Collate"/> of several.</param>
    /// <returns>The batch's loss and accuracy before the update.</returns>
    /// <exception cref="ArgumentException">The batch has no labels.</exception>
    public CellTrackGnnStep Step(CellTrackGnnGraph batch) => Step(batch, training: true);

    /// <summary>One step with dropout on (<paramref name="training"/>) or off; the model is left in that mode.</summary>
    internal CellTrackGnnStep Step(CellTrackGnnGraph batch, bool training)
    {
        var labels = LabelsOf(batch);
        using var scope = DisposeScope.Enter();
        model.Train(training);
        model.ZeroGrad();
        var logits = model.Forward(batch);
        var loss = Loss(logits, labels);
        loss.Backward();
        optimizer.Step();
        return new CellTrackGnnStep(loss.ToScalar(), ValidationAccuracy(logits, labels), logits.Size(0));
    }

    /// <summary>Loss and accuracy of a batch in evaluation mode (dropout off), without gradients; the mode is restored.</summary>
    /// <param name="batch">A labelled graph.</param>
    /// <returns>The batch's loss and accuracy.</returns>
    /// <exception cref="ArgumentException">The batch has no labels.</exception>
    public CellTrackGnnStep Validate(CellTrackGnnGraph batch)
    {
        var labels = LabelsOf(batch);
        var training = model.IsTraining;
        model.Eval();
        try
        {
            using var scope = DisposeScope.Enter();
            using var noGrad = GradientMode.NoGrad();
            var logits = model.Forward(batch);
            return new CellTrackGnnStep(Loss(logits, labels).ToScalar(), ValidationAccuracy(logits, labels), logits.Size(0));
        }
        finally
        {
            model.Train(training);
        }
    }

    /// <summary>
    /// The reference's loss: <c>mean(pw·y·softplus(−z) + (1 − y)·softplus(z))</c>, the binary cross entropy of logits z
    /// with positive weight pw = #negatives / #positives of these labels (pw = 0 when there is no positive).
    /// </summary>
    /// <param name="logits">(E) logits.</param>
    /// <param name="labels">(E) labels, 0 or 1, float32.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Loss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = DisposeScope.Enter();
        var positives = labels.Sum();
        var weight = positives.ToScalar() > 0 ? (labels.Size(0) - positives) / positives : Tensor.Zeros([], labels.ScalarType, labels.Device);
        return scope.MoveToOuter(Losses.BinaryCrossEntropyWithLogits(logits.Reshape(-1), labels.Reshape(-1), positiveWeight: weight));
    }

    /// <summary>
    /// The reference's validation accuracy, <c>(TP + TN) / E</c> with an edge called positive when its <b>logit</b> is
    /// ≥ 0.5 (i.e. p ≥ 0.622; inference uses p &gt; 0.5, see <see cref="CellTrackGnn.ActiveEdges"/>).
    /// </summary>
    /// <param name="logits">(E) logits.</param>
    /// <param name="labels">(E) labels, 0 or 1.</param>
    /// <returns>The fraction of edges classified right; NaN without edges.</returns>
    public static double ValidationAccuracy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        var predicted = (logits.Reshape(-1) >= 0.5).To(ScalarType.Int16);
        var truth = labels.Reshape(-1).To(ScalarType.Int16);
        return predicted.Equal(truth).To(ScalarType.Float64).Mean().ToScalar();
    }

    /// <summary>Releases Adam's state (not the model).</summary>
    public void Dispose() => optimizer.Dispose();

    private static Tensor LabelsOf(CellTrackGnnGraph batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Labels ?? throw new ArgumentException("Training and validation need edge labels.", nameof(batch));
    }
}
