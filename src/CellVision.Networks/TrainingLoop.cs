using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Networks;

/// <summary>The epoch loop and optimiser step that the detection and flow trainers share.</summary>
public static class TrainingLoop
{
    /// <summary>Runs <paramref name="epochs"/> epochs and collects their mean losses.</summary>
    /// <param name="epochs">Number of epochs.</param>
    /// <param name="epoch">Runs one epoch and returns its mean loss.</param>
    public static IReadOnlyList<double> Epochs(int epochs, Func<double> epoch)
    {
        var losses = new List<double>();
        for (var i = 0; i < epochs; i++)
        {
            losses.Add(epoch());
        }

        return losses;
    }

    /// <summary>Steps through <paramref name="items"/> in batches of <paramref name="batchSize"/> (the last may be smaller).</summary>
    /// <param name="items">The epoch's items, in the order to visit them.</param>
    /// <param name="batchSize">Items per step (at least 1).</param>
    /// <param name="epoch">Epoch number reported with each step (0-based).</param>
    /// <param name="step">Runs one optimiser step on a batch and returns its loss (NaN when the batch had nothing to learn).</param>
    /// <param name="progress">Receives every step's loss.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The mean of the steps' losses that are not NaN; NaN when there are none.</returns>
    public static double Epoch<T>(T[] items, int batchSize, int epoch, Func<ReadOnlySpan<T>, double> step, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var steps = (items.Length + batchSize - 1) / batchSize;
        double sum = 0;
        var counted = 0;
        for (var index = 0; index < steps; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = items.AsSpan(index * batchSize, Math.Min(batchSize, items.Length - (index * batchSize)));
            var loss = step(batch);
            if (!double.IsNaN(loss))
            {
                sum += loss;
                counted++;
            }

            progress?.Report(new TrainingProgress(epoch, index, steps, loss));
        }

        return counted == 0 ? double.NaN : sum / counted;
    }

    /// <summary>Back-propagates <paramref name="loss"/> and takes an optimiser step.</summary>
    /// <param name="optimizer">The optimiser of the model's parameters.</param>
    /// <param name="loss">The batch's scalar loss; null when the batch had nothing to learn (no step is taken).</param>
    /// <returns>The loss, or NaN when it was null.</returns>
    public static double Optimise(Adam optimizer, Tensor? loss)
    {
        if (loss is null)
        {
            return double.NaN;
        }

        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return loss.ToScalar();
    }
}
