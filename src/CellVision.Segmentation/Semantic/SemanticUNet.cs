using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Serialization;

namespace CellVision.Segmentation;

/// <summary>
/// incasem's semantic-segmentation network (spec B.1): a <see cref="ValidUNet"/> followed by a final valid 3×3×3
/// convolution to one logit per class, with no activation (softmax over classes is applied outside). With the default
/// options it has 5,837,730 parameters and maps a 204³ input to a 110³ output (47 voxels of context per side).
/// Parameters are named as incasem's PyTorch module: <c>unet.l_conv.{level}.conv_pass.{0,2}.weight|bias</c>,
/// <c>unet.r_conv.0.{level}.conv_pass.{0,2}.weight|bias</c> and <c>final_conv_pass.conv_pass.0.weight|bias</c>.
/// </summary>
/// <example>
/// <code>
/// using var network = new SemanticUNet();
/// var output = network.GetOutputSize((204, 204, 204)); // (110, 110, 110)
/// </code>
/// </example>
public sealed class SemanticUNet : Module<Tensor, Tensor>, ISemanticNetwork
{
    /// <summary>Creates the network with PyTorch's default initialisation.</summary>
    /// <param name="options">The shape; null for incasem's.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public SemanticUNet(SemanticUNetOptions? options = null)
    {
        Options = options ?? new SemanticUNetOptions();
        Options.Validate();
        UNet = RegisterModule("unet", new ValidUNet(Options.UNet));
        FinalPass = RegisterModule("final_conv_pass", new ConvPass(Options.UNet.FeatureMaps, Options.Classes, [Options.FinalKernel], activate: false));
    }

    /// <summary>The network's shape.</summary>
    public SemanticUNetOptions Options { get; }

    /// <inheritdoc />
    public int Classes => Options.Classes;

    /// <summary>The U-Net.</summary>
    public ValidUNet UNet { get; }

    /// <summary>The final convolution to the class logits (3×3×3 in incasem).</summary>
    public ConvPass FinalPass { get; }

    /// <summary>
    /// Loads a network from a <c>.pth</c> file: a state dict, or an incasem checkpoint that keeps it under
    /// <c>model_state_dict</c> beside optimiser state and other entries. Classes, channels, feature maps, levels and kernel
    /// sizes are read from the weights; the pooling factors, which have no weights, are given.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="downsampleFactors">The pooling factor below each level, top first; null for 2×2×2 everywhere (incasem).</param>
    /// <returns>The network, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PthFormatException">The file is not a state dict of this network, or the factors do not match its levels.</exception>
    public static SemanticUNet Load(string path, IReadOnlyList<Size3>? downsampleFactors = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The semantic U-Net '{path}' does not exist.", path);
        }

        using var state = PthFile.LoadStateDict(path, "model_state_dict");
        var network = new SemanticUNet(SemanticUNetLayout.Read(state, path, downsampleFactors));
        try
        {
            var result = network.LoadStateDict(state, strict: false);
            if (result.MissingKeys.Count > 0 || result.UnexpectedKeys.Count > 0)
            {
                throw new PthFormatException($"'{path}' does not fit a semantic U-Net: missing {string.Join(", ", result.MissingKeys)}; unexpected {string.Join(", ", result.UnexpectedKeys)}.");
            }

            network.Eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Maps 8-bit raw to the network's input as incasem does (spec B.2): gunpowder's <c>Normalize</c> multiplies by the
    /// float32 value of 1/255, then <c>IntensityScaleShift(2, −1)</c> maps [0, 1] to [−1, 1], all in float32.
    /// </summary>
    /// <param name="raw">The voxels.</param>
    /// <param name="destination">Receives one value per voxel.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void NormalizeInput(ReadOnlySpan<byte> raw, Span<float> destination)
    {
        if (raw.Length != destination.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values for {raw.Length} voxels.", nameof(destination));
        }

        const float Scale = (float)(1.0 / 255);
        for (var i = 0; i < raw.Length; i++)
        {
            // Two rounded float32 steps, as NumPy computes them; one fused expression would differ in the last bit.
            var unit = raw[i] * Scale;
            destination[i] = (unit * 2f) - 1f;
        }
    }

    /// <summary>The output size for an input size, Z, Y, X (see <see cref="ValidUNet.GetOutputSize"/>); incasem's: 204 → 110.</summary>
    /// <param name="inputSize">The input size.</param>
    /// <returns>The output size.</returns>
    /// <exception cref="ArgumentException">The size does not fit along an axis; the message names the level and the nearest sizes that fit.</exception>
    public (int Z, int Y, int X) GetOutputSize((int Z, int Y, int X) inputSize) => UNet.GetOutputSize(inputSize, FinalPass.Crop);

    /// <summary>Every input size up to <paramref name="maximum"/> that fits along one axis, ascending.</summary>
    /// <param name="axis">0 for Z, 1 for Y, 2 for X.</param>
    /// <param name="maximum">The largest size to consider.</param>
    /// <returns>The sizes.</returns>
    public IReadOnlyList<int> GetValidInputSizes(int axis, int maximum) =>
        UNet.GetValidInputSizes(axis, maximum, axis switch { 0 => (int)FinalPass.Crop.Depth, 1 => (int)FinalPass.Crop.Height, _ => (int)FinalPass.Crop.Width });

    /// <inheritdoc />
    public (int Z, int Y, int X) OutputSize((int Z, int Y, int X) inputSize) => GetOutputSize(inputSize);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spans do not match the sizes, or the size does not fit the network.</exception>
    public void PredictLogits(ReadOnlySpan<float> input, (int Z, int Y, int X) inputSize, Span<float> logits)
    {
        var (z, y, x) = GetOutputSize(inputSize);
        if (input.Length != (long)inputSize.Z * inputSize.Y * inputSize.X || logits.Length != (long)Classes * z * y * x)
        {
            throw new ArgumentException($"Give {inputSize.Z}×{inputSize.Y}×{inputSize.X} input values and {Classes}×{z}×{y}×{x} logits (got {input.Length} and {logits.Length}).", nameof(input));
        }

        using var noGrad = GradientMode.NoGrad();
        using var scope = DisposeScope.Enter();
        var device = Parameters().First().Device;
        var result = Forward(Tensor.FromSpan(input, [1, 1, inputSize.Z, inputSize.Y, inputSize.X]).To(device));
        result.To(Device.Cpu).CopyTo(logits);
    }

    /// <summary>Saves the weights as an incasem checkpoint, <c>{'model_state_dict': state_dict}</c>, which incasem's prediction reads.</summary>
    /// <param name="path">The <c>.pth</c> file; replaced if it exists, through a temporary file.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var state = StateDict();
        PthFile.Save(path, new Dictionary<string, object?> { ["model_state_dict"] = state });
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [batch, channels, Z, Y, X], or its size does not fit.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length == 5)
        {
            GetOutputSize(((int)shape[2], (int)shape[3], (int)shape[4]));
        }

        using var scope = DisposeScope.Enter();
        var features = UNet.Forward(input);
        var logits = FinalPass.Forward(features);
        features.Dispose();
        return scope.MoveToOuter(logits);
    }
}
