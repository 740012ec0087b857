using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>Tensor pieces the GNN tracker's layers share.</summary>
internal static class GraphTensors
{
    /// <summary>The eps of <c>nn.CosineSimilarity</c>'s default.</summary>
    internal const double CosineEpsilon = 1e-8;

    /// <summary>
    /// Row-wise cosine similarity of (E, F) tensors as torch 1.8 computes it, <c>a·b / sqrt(max(|a|²·|b|², eps²))</c>;
    /// later versions clamp each norm on its own, which differs for near-zero rows (ReLU'd node embeddings can be zero).
    /// </summary>
    /// <returns>(E).</returns>
    internal static Tensor CosineSimilarity(Tensor a, Tensor b)
    {
        using var scope = DisposeScope.Enter();
        var dot = (a * b).Sum([1]);
        var squares = (a * a).Sum([1]) * (b * b).Sum([1]);
        return scope.MoveToOuter(dot / squares.Clamp(min: CosineEpsilon * CosineEpsilon).Sqrt());
    }

    /// <summary>
    /// The edge features made from node features at an edge's ends: <c>x[src], x[trg], |x[src] − x[trg]|, cos(x[src], x[trg])</c>,
    /// appended to <paramref name="leading"/> (columns in that order).
    /// </summary>
    /// <returns>(E, leading + 3F + 1).</returns>
    internal static Tensor EndpointFeatures(Tensor leading, Tensor x, Tensor source, Tensor target)
    {
        using var scope = DisposeScope.Enter();
        var xs = x.IndexSelect(0, source);
        var xt = x.IndexSelect(0, target);
        var features = Tensor.Concatenate([leading, xs, xt, (xs - xt).Abs(), CosineSimilarity(xs, xt).Unsqueeze(1)], 1);
        return scope.MoveToOuter(features);
    }
}
