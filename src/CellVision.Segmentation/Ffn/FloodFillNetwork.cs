using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;

namespace CellVision.Segmentation;

/// <summary>
/// google/ffn's <c>ConvStack3DFFNModel</c> (spec A.1): input <c>[B, 2, Z, Y, X]</c> with the normalised image in channel 0
/// and the object-mask logits in channel 1; <c>conv0_a</c> (ReLU), <c>conv0_b</c>, then depth − 1 residual modules
/// <c>x + conv{i}_b(relu(conv{i}_a(relu(x))))</c>, a ReLU and the 1×1×1 <c>conv_lom</c>; every other convolution 3×3×3
/// with zero padding 1 and a bias. The update is additive: the output is the input logits plus <c>conv_lom</c>'s
/// output. Parameters are named <c>conv0_a.weight</c> … <c>conv_lom.bias</c> (the reference's TensorFlow names without
/// the <c>seed_update/</c> scope, in PyTorch's <c>[out, in, kD, kH, kW]</c> layout); the field of view and move step
/// are stored beside them as the buffers <c>field_of_view</c> and <c>deltas</c>.
/// </summary>
public sealed class FloodFillNetwork : Module<Tensor, Tensor>, IFloodFillNetwork
{
    private readonly Conv3d[] first;
    private readonly Conv3d[] second;
    private readonly Conv3d output;

    /// <summary>Creates the network with the reference's initialisation: Glorot-uniform weights, zero biases.</summary>
    /// <param name="options">The shape; null for the published model's.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public FloodFillNetwork(FloodFillNetworkOptions? options = null)
    {
        Options = options ?? new FloodFillNetworkOptions();
        Options.Validate();
        first = new Conv3d[Options.Depth];
        second = new Conv3d[Options.Depth];
        for (var i = 0; i < Options.Depth; i++)
        {
            first[i] = RegisterModule($"conv{i}_a", new Conv3d(i == 0 ? 2 : Options.Features, Options.Features, 3, padding: 1));
            second[i] = RegisterModule($"conv{i}_b", new Conv3d(Options.Features, Options.Features, 3, padding: 1));
        }

        output = RegisterModule("conv_lom", new Conv3d(Options.Features, 1, 1));
        RegisterBuffer("field_of_view", Tensor.FromSpan<long>([Options.FieldOfView.Z, Options.FieldOfView.Y, Options.FieldOfView.X], [3]));
        RegisterBuffer("deltas", Tensor.FromSpan<long>([Options.Deltas.Z, Options.Deltas.Y, Options.Deltas.X], [3]));
        using (GradientMode.NoGrad())
        {
            foreach (var conv in first.Concat(second).Append(output))
            {
                Init.XavierUniform(conv.Weight);
                Init.Zeros(conv.Bias!);
            }
        }
    }

    /// <summary>The network's shape.</summary>
    public FloodFillNetworkOptions Options { get; }

    /// <inheritdoc />
    public (int Z, int Y, int X) FieldOfView => Options.FieldOfView;

    /// <inheritdoc />
    public (int Z, int Y, int X) Deltas => Options.Deltas;

    /// <summary>Loads a network saved by <see cref="Save"/>; depth and features are read from the weights.</summary>
    /// <param name="path">The <c>.pth</c> file.</param>
    /// <returns>The network, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PthFormatException">The file is not a flood-filling network's state dict.</exception>
    public static FloodFillNetwork Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The flood-filling network '{path}' does not exist.", path);
        }

        var state = PthFile.LoadStateDict(path);
        try
        {
            return FromStateDict(state, path);
        }
        finally
        {
            state.Dispose();
        }
    }

    /// <summary>
    /// Imports the reference's TensorFlow variables from a NumPy archive holding <c>seed_update/conv{i}_{a,b}/weights</c>
    /// and <c>…/biases</c> and <c>seed_update/conv_lom/weights|biases</c> (weights <c>[kD, kH, kW, in, out]</c>), as
    /// docs/segmentation-ffn.md shows how to write from a published checkpoint. The field of view and move step are not
    /// in the checkpoint: give them (the published FIB-25 model: 33³ and 8³, the defaults).
    /// </summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="fieldOfView">The field of view, Z, Y, X; null for 33³.</param>
    /// <param name="deltas">The move step, Z, Y, X; null for 8³.</param>
    /// <returns>The network, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NpzFormatException">The archive is unreadable or lacks a variable of the reference layout.</exception>
    public static FloodFillNetwork FromTensorFlowNpz(string path, (int Z, int Y, int X)? fieldOfView = null, (int Z, int Y, int X)? deltas = null)
    {
        var arrays = NpzFile.Load(path);
        try
        {
            const string Scope = "seed_update/";
            var depth = 0;
            while (arrays.ContainsKey($"{Scope}conv{depth}_a/weights"))
            {
                depth++;
            }

            Tensor Variable(string name) => arrays.TryGetValue(Scope + name, out var tensor)
                ? tensor
                : throw new NpzFormatException($"'{path}' has no variable '{Scope}{name}'; expected the reference layout seed_update/conv{{i}}_{{a,b}}/weights|biases and seed_update/conv_lom/weights|biases (found: {string.Join(", ", arrays.Keys.Take(6))}{(arrays.Count > 6 ? ", …" : "")}).");
            var stem = Variable("conv0_a/weights");
            if (depth == 0 || stem.Rank != 5 || stem.Shape[3] != 2)
            {
                throw new NpzFormatException($"'{path}': seed_update/conv0_a/weights must be [3, 3, 3, 2, features]; got [{string.Join(", ", stem.Shape)}].");
            }

            var options = new FloodFillNetworkOptions
            {
                Depth = depth,
                Features = (int)stem.Shape[4],
                FieldOfView = fieldOfView ?? (33, 33, 33),
                Deltas = deltas ?? (8, 8, 8),
            };
            var network = new FloodFillNetwork(options);
            try
            {
                using var scope = DisposeScope.Enter();
                var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var name in Enumerable.Range(0, depth).SelectMany(i => new[] { $"conv{i}_a", $"conv{i}_b" }).Append("conv_lom"))
                {
                    // TensorFlow keeps conv3d kernels as [kD, kH, kW, in, out]; PyTorch as [out, in, kD, kH, kW].
                    state[$"{name}.weight"] = Variable($"{name}/weights").Permute(4, 3, 0, 1, 2).Contiguous().To(ScalarType.Float32);
                    state[$"{name}.bias"] = Variable($"{name}/biases").To(ScalarType.Float32);
                }

                state["field_of_view"] = Tensor.FromSpan<long>([options.FieldOfView.Z, options.FieldOfView.Y, options.FieldOfView.X], [3]);
                state["deltas"] = Tensor.FromSpan<long>([options.Deltas.Z, options.Deltas.Y, options.Deltas.X], [3]);
                Require(network.LoadStateDict(state, strict: true), path);
                network.Eval();
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var tensor in arrays.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Saves the weights, field of view and move step as a PyTorch state dict.</summary>
    /// <param name="path">The <c>.pth</c> file; replaced if it exists, through a temporary file.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var state = StateDict();
        var temporary = path + ".partial";
        PthFile.Save(temporary, state);
        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 5 || input.Shape[1] != 2)
        {
            throw new ArgumentException($"The input must be [batch, 2, Z, Y, X] (image, mask logits); got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        using var scope = DisposeScope.Enter();
        var seed = input.Narrow(1, 1, 1);
        var net = second[0].Forward(first[0].Forward(input).Relu());
        for (var i = 1; i < first.Length; i++)
        {
            net = net + second[i].Forward(first[i].Forward(net.Relu()).Relu());
        }

        return scope.MoveToOuter(seed + output.Forward(net.Relu()));
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> image, ReadOnlySpan<float> seed, Span<float> logits, int batchSize)
    {
        var (z, y, x) = FieldOfView;
        var window = z * y * x;
        if (batchSize < 1 || image.Length != batchSize * window || seed.Length != image.Length || logits.Length != image.Length)
        {
            throw new ArgumentException($"Give {batchSize} windows of {z}×{y}×{x} voxels for the image, the seed and the logits (got {image.Length}, {seed.Length} and {logits.Length} values).", nameof(image));
        }

        using var noGrad = GradientMode.NoGrad();
        using var scope = DisposeScope.Enter();
        var imageTensor = Tensor.FromSpan(image, [batchSize, 1, z, y, x]);
        var seedTensor = Tensor.FromSpan(seed, [batchSize, 1, z, y, x]);
        var result = Forward(Tensor.Concatenate([imageTensor, seedTensor], 1));
        result.CopyTo(logits);
    }

    private static FloodFillNetwork FromStateDict(StateDict state, string path)
    {
        var depth = 0;
        while (state.ContainsKey($"conv{depth}_a.weight"))
        {
            depth++;
        }

        if (depth == 0 || !state.TryGetValue("conv0_a.weight", out var stem) || stem.Rank != 5 || !state.ContainsKey("conv_lom.weight"))
        {
            throw new PthFormatException($"'{path}' is not a flood-filling network: it has no conv0_a.weight [features, 2, 3, 3, 3] and conv_lom.weight (keys: {string.Join(", ", state.Keys.Take(6))}).");
        }

        var options = new FloodFillNetworkOptions
        {
            Depth = depth,
            Features = (int)stem.Shape[0],
            FieldOfView = Triple(state, "field_of_view", (33, 33, 33)),
            Deltas = Triple(state, "deltas", (8, 8, 8)),
        };
        var network = new FloodFillNetwork(options);
        try
        {
            Require(network.LoadStateDict(state, strict: true), path);
            network.Eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static (int Z, int Y, int X) Triple(StateDict state, string key, (int Z, int Y, int X) fallback)
    {
        if (!state.TryGetValue(key, out var tensor))
        {
            return fallback;
        }

        var values = tensor.ToArray<long>();
        return values.Length == 3 ? ((int)values[0], (int)values[1], (int)values[2]) : fallback;
    }

    private static void Require(LoadStateDictResult result, string path)
    {
        if (result.MissingKeys.Count > 0 || result.UnexpectedKeys.Count > 0)
        {
            throw new PthFormatException($"'{path}' does not fit a flood-filling network: missing {string.Join(", ", result.MissingKeys)}; unexpected {string.Join(", ", result.UnexpectedKeys)}.");
        }
    }
}
