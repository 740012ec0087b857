using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Tracking;

/// <summary>
/// The GNN tracker's message passing on nodes and edges (<c>CellTrack_GNN</c>): per layer, a <see cref="PdnConv"/>
/// updates the nodes with the current edge features as gates; an edge MLP maps
/// <c>[e, x[src], x[trg], |x[src] − x[trg]|, cos(x[src], x[trg])]</c> to the next edge features; then the nodes pass a
/// ReLU, so the edge MLP sees the nodes before the activation. Returns the last layer's edge features.
/// </summary>
/// <remarks>
/// State-dict keys: <c>convs.{l}.*</c> (see <see cref="PdnConv"/>) and <c>fcs.{l}.fc_layers.{0,3}.{weight,bias}</c>
/// for l = 0 … layers − 1. The edge MLPs carry dropout layers of probability 0, as the reference's do, and the
/// reference's dropout of probability 0 on nodes and edges between layers is left out.
/// </remarks>
public sealed class CellTrackMessagePassing : Module
{
    /// <summary>Creates the layers in the reference's order (convolution, then edge MLP, per layer).</summary>
    /// <param name="inChannels">Node features entering the first layer.</param>
    /// <param name="hiddenChannels">Node features after each convolution.</param>
    /// <param name="edgeChannels">Edge features in and out of every layer.</param>
    /// <param name="gateChannels">Hidden width of each convolution's edge gate.</param>
    /// <param name="edgeHidden">Hidden width of each edge MLP (its output is <paramref name="edgeChannels"/>).</param>
    /// <param name="layers">Number of layers.</param>
    public CellTrackMessagePassing(long inChannels, long hiddenChannels, long edgeChannels, long gateChannels, long edgeHidden, int layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        Convolutions = RegisterModule("convs", new ModuleList<PdnConv>());
        EdgeUpdates = RegisterModule("fcs", new ModuleList<Mlp>());
        var edgeInput = edgeChannels + (3 * hiddenChannels) + 1;
        for (var l = 0; l < layers; l++)
        {
            Convolutions.Add(new PdnConv(l == 0 ? inChannels : hiddenChannels, hiddenChannels, edgeChannels, gateChannels));
            EdgeUpdates.Add(new Mlp(edgeInput, [edgeHidden, edgeChannels], dropout: 0.0));
        }
    }

    /// <summary>The node convolutions, one per layer (<c>convs</c>).</summary>
    public ModuleList<PdnConv> Convolutions { get; }

    /// <summary>The edge MLPs, one per layer (<c>fcs</c>).</summary>
    public ModuleList<Mlp> EdgeUpdates { get; }

    /// <summary>Runs every layer.</summary>
    /// <param name="x">Node features (N, in).</param>
    /// <param name="edgeIndex">(2, E) int64.</param>
    /// <param name="edgeFeatures">(E, edge channels).</param>
    /// <returns>The last layer's edge features (E, edge channels).</returns>
    public Tensor Forward(Tensor x, Tensor edgeIndex, Tensor edgeFeatures)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(edgeIndex);
        ArgumentNullException.ThrowIfNull(edgeFeatures);
        using var scope = DisposeScope.Enter();
        var source = edgeIndex.Select(0, 0);
        var target = edgeIndex.Select(0, 1);
        var nodes = x;
        var edges = edgeFeatures;
        for (var l = 0; l < Convolutions.Count; l++)
        {
            var convolved = Convolutions[l].Forward(nodes, edgeIndex, edges);
            using (var layer = DisposeScope.Enter())
            {
                edges = layer.MoveToOuter(EdgeUpdates[l].Forward(GraphTensors.EndpointFeatures(edges, convolved, source, target)));
            }

            nodes = convolved.Relu();
        }

        return scope.MoveToOuter(edges);
    }
}
