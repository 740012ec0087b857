namespace CellVision.Segmentation;

/// <summary>The optimisers google/ffn's <c>--optimizer</c> flag offers that CellVision trains with (spec A.4.7).</summary>
public enum FloodFillOptimizer
{
    /// <summary>Plain stochastic gradient descent, the reference's default.</summary>
    Sgd,

    /// <summary>SGD with momentum 0.9 (TensorFlow's momentum optimiser, which equals PyTorch's SGD without dampening).</summary>
    Momentum,

    /// <summary>
    /// Adam with β 0.9/0.999 and ε 1e-8. It converges in far fewer steps than plain SGD on a CPU budget. ε is added as
    /// TensorFlow adds it (<see cref="CellVision.Torch.Optimizers.AdamOptions.TensorFlowEpsilon"/>). Its moments are not kept in the checkpoint, so a resumed run restarts them.
    /// </summary>
    Adam,
}
