using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Tracking;

/// <summary>
/// The pathfinder-discovery convolution of the GNN tracker (PyTorch Geometric's <c>PDNConv</c> with sum aggregation,
/// self-loops and GCN normalisation): every edge gets a gate <c>w = sigmoid(W2·ReLU(W1·e + b1) + b2)</c> from its
/// features; the gates are normalised as <c>gcn_norm</c> does, <c>ŵ(j→i) = deg(j)^-½ · w · deg(i)^-½</c> with
/// <c>deg(i) = 1 + Σ w over the edges into i</c> (a self-loop of weight 1 per node); and node i receives
/// <c>Σ ŵ(j→i) · Θx_j</c> over its in-edges and itself, plus a bias. Messages flow from <c>edge_index[0]</c> to
/// <c>edge_index[1]</c>.
/// </summary>
/// <remarks>
/// State-dict keys: <c>bias</c>, <c>lin.weight</c> (Θ, no bias), <c>mlp.0.weight</c>, <c>mlp.0.bias</c>,
/// <c>mlp.2.weight</c>, <c>mlp.2.bias</c> (<c>mlp</c> is Linear, ReLU, Linear, then a sigmoid). Θ, W1 and W2 are drawn
/// Glorot-uniform, the biases are zero; the layers are first made with PyTorch's defaults, so after the same seed the
/// draws equal Python's. Graphs are expected without self-loops (frame-to-frame edges never have one); an existing
/// self-loop would count as an ordinary edge here, whereas PyTorch Geometric would merge it with the added one.
/// </remarks>
public sealed class PdnConv : Module
{
    private readonly Sequential gate;

    /// <summary>Creates the convolution.</summary>
    /// <param name="inChannels">Node features in.</param>
    /// <param name="outChannels">Node features out.</param>
    /// <param name="edgeChannels">Edge features.</param>
    /// <param name="hiddenChannels">Hidden width of the edge gate.</param>
    public PdnConv(long inChannels, long outChannels, long edgeChannels, long hiddenChannels)
    {
        Bias = RegisterParameter("bias", Tensor.Empty([outChannels]))!;
        Theta = RegisterModule("lin", new Linear(inChannels, outChannels, bias: false));
        var first = new Linear(edgeChannels, hiddenChannels);
        var second = new Linear(hiddenChannels, 1);

        // PyTorch's mlp ends in a Sigmoid module (index 3, no parameters); it is applied in Forward instead.
        gate = RegisterModule("mlp", new Sequential(first, new ReLU(), second));
        Init.XavierUniform(Theta.Weight);
        Init.XavierUniform(first.Weight);
        Init.XavierUniform(second.Weight);
        Init.Zeros(first.Bias!);
        Init.Zeros(second.Bias!);
        Init.Zeros(Bias);
    }

    /// <summary>Θ, the node transform (out, in), without bias.</summary>
    public Linear Theta { get; }

    /// <summary>The bias added after aggregation (out).</summary>
    public Tensor Bias { get; }

    /// <summary>Convolves node features over the directed edges.</summary>
    /// <param name="x">Node features (N, in).</param>
    /// <param name="edgeIndex">(2, E) int64: sources, then targets.</param>
    /// <param name="edgeFeatures">(E, edge channels).</param>
    /// <returns>(N, out).</returns>
    public Tensor Forward(Tensor x, Tensor edgeIndex, Tensor edgeFeatures)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(edgeIndex);
        ArgumentNullException.ThrowIfNull(edgeFeatures);
        using var scope = DisposeScope.Enter();
        var source = edgeIndex.Select(0, 0);
        var target = edgeIndex.Select(0, 1);
        var weight = gate.Forward(edgeFeatures).Sigmoid().Squeeze(1);

        // Every gate is positive, so each degree is at least the self-loop's 1 and never needs the zero mask.
        var degree = Tensor.Ones([x.Size(0)], x.ScalarType, x.Device).IndexAdd(0, target, weight);
        var scale = degree.Pow(-0.5);
        var normalised = scale.IndexSelect(0, source) * weight * scale.IndexSelect(0, target);

        var h = Theta.Forward(x);
        var selfMessages = h * (scale * scale).Unsqueeze(1);
        var messages = h.IndexSelect(0, source) * normalised.Unsqueeze(1);
        return scope.MoveToOuter(selfMessages.IndexAdd(0, target, messages) + Bias);
    }
}
