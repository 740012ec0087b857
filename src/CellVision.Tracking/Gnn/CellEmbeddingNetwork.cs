using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Tracking;

/// <summary>
/// The deep-metric-learning network of cell-tracker-gnn: a <see cref="ResNet18"/> trunk (2-D torchvision or 3-D Hara
/// layout, one input channel, 512-d output) and an embedder <c>Linear(512, 128)</c> whose output is L2-normalised
/// (<c>F.normalize(p=2, dim=1)</c>), giving the 128-d unit embedding the GNN reads as <see cref="CellTrackGnnGraph.Embedding"/>.
/// </summary>
/// <remarks>
/// <see cref="Module.StateDict"/> names the parts <c>trunk.*</c> and <c>embedder.*</c>. The reference's own names come
/// from <see cref="TrunkStateDict"/> (<c>model.conv1.weight</c>, …: its trunk wraps the ResNet as <c>model</c>) and
/// <see cref="EmbedderStateDict"/> (<c>net.0.*</c> and the alias <c>last_linear.*</c> that PyTorch writes for the same layer).
/// </remarks>
public sealed class CellEmbeddingNetwork : Module<Tensor, Tensor>
{
    /// <summary>Width of the embedding.</summary>
    public const int EmbeddingSize = 128;

    private const string TrunkPrefix = "model.";
    private static readonly string[] EmbedderPrefixes = ["net.0.", "last_linear."];

    /// <summary>Creates the network; after <see cref="TorchRuntime.ManualSeed"/> its weights equal the reference's built the same way.</summary>
    /// <param name="spatialDimensions">2 for images, 3 for volumes.</param>
    public CellEmbeddingNetwork(int spatialDimensions)
    {
        Trunk = RegisterModule("trunk", new ResNet18(spatialDimensions));
        Embedder = RegisterModule("embedder", new Linear(ResNet18.FeatureSize, EmbeddingSize));
    }

    /// <summary>2 or 3.</summary>
    public int SpatialDimensions => Trunk.SpatialDimensions;

    /// <summary>The ResNet-18 trunk.</summary>
    public ResNet18 Trunk { get; }

    /// <summary>The linear embedder (512 → 128), before normalisation.</summary>
    public Linear Embedder { get; }

    /// <summary>Embeds a batch of patches: [B, 1, H, W] or [B, 1, D, H, W] float32 to [B, 128] unit rows.</summary>
    /// <param name="input">The patches.</param>
    /// <returns>The embeddings.</returns>
    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var features = Trunk.Forward(input);
        return scope.MoveToOuter(Normalise(Embedder.Forward(features)));
    }

    /// <summary>Row-wise L2 normalisation as <c>F.normalize(x, p=2, dim=1, eps=1e-12)</c>.</summary>
    /// <param name="rows">[B, K].</param>
    /// <returns>The rows divided by their norms (at least 1e-12).</returns>
    public static Tensor Normalise(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var scope = DisposeScope.Enter();
        var norms = rows.Pow(2).Sum([1], keepDimension: true).Sqrt().Clamp(min: 1e-12);
        return scope.MoveToOuter(rows / norms);
    }

    /// <summary>The trunk's weights under the reference's <c>trunk_state_dict</c> names (<c>model.</c> prefix).</summary>
    /// <returns>References to the module's tensors; dispose to release them.</returns>
    public StateDict TrunkStateDict()
    {
        var result = new StateDict();
        using var own = Trunk.StateDict();
        foreach (var (key, tensor) in own)
        {
            result.Add(TrunkPrefix + key, tensor.Detach());
        }

        return result;
    }

    /// <summary>The embedder's weights under the reference's <c>embedder_state_dict</c> names.</summary>
    /// <returns>References to the module's tensors; dispose to release them.</returns>
    public StateDict EmbedderStateDict()
    {
        var result = new StateDict();
        using var own = Embedder.StateDict();
        foreach (var prefix in EmbedderPrefixes)
        {
            foreach (var (key, tensor) in own)
            {
                result.Add(prefix + key, tensor.Detach());
            }
        }

        return result;
    }

    /// <summary>Loads the reference's two state dicts (strict: every key present, none unknown).</summary>
    /// <param name="trunk">Keys <c>model.*</c>.</param>
    /// <param name="embedder">Keys <c>net.0.*</c>; <c>last_linear.*</c> is accepted as an alias and ignored.</param>
    /// <exception cref="StateDictMismatchException">Keys or shapes differ.</exception>
    public void LoadReferenceStateDicts(IReadOnlyDictionary<string, Tensor> trunk, IReadOnlyDictionary<string, Tensor> embedder)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(embedder);
        Trunk.LoadStateDict(Strip(trunk, TrunkPrefix, null));
        Embedder.LoadStateDict(Strip(embedder, EmbedderPrefixes[0], EmbedderPrefixes[1]));
    }

    // A key without the prefix is kept whole, so that a strict load names it.
    private static Dictionary<string, Tensor> Strip(IReadOnlyDictionary<string, Tensor> source, string prefix, string? alias)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in source)
        {
            if (alias is not null && key.StartsWith(alias, StringComparison.Ordinal))
            {
                continue;
            }

            result[key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key] = tensor;
        }

        return result;
    }
}
