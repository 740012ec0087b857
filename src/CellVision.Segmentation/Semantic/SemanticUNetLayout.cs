using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Serialization;

namespace CellVision.Segmentation;

/// <summary>Reads a <see cref="SemanticUNet"/>'s shape from its state dict (weights carry everything but the pooling).</summary>
internal static class SemanticUNetLayout
{
    internal static SemanticUNetOptions Read(StateDict state, string path, IReadOnlyList<Size3>? downsampleFactors)
    {
        var levels = 0;
        while (state.ContainsKey($"unet.l_conv.{levels}.conv_pass.0.weight"))
        {
            levels++;
        }

        if (levels == 0 || !state.TryGetValue("final_conv_pass.conv_pass.0.weight", out var final) || final.Rank != 5)
        {
            throw new PthFormatException($"'{path}' is not a semantic U-Net: it has no unet.l_conv.0.conv_pass.0.weight or final_conv_pass.conv_pass.0.weight (keys: {string.Join(", ", state.Keys.Take(6))}).");
        }

        var factors = downsampleFactors ?? [.. Enumerable.Repeat(new Size3(2, 2, 2), levels - 1)];
        if (factors.Count != levels - 1)
        {
            throw new PthFormatException($"'{path}' holds a U-Net of {levels} levels, which needs {levels - 1} downsampling factors; {factors.Count} were given.");
        }

        var first = state["unet.l_conv.0.conv_pass.0.weight"].Shape;
        var featureMaps = (int)first[0];
        var factor = levels > 1 ? (int)(state["unet.l_conv.1.conv_pass.0.weight"].Shape[0] / featureMaps) : 2;
        return new SemanticUNetOptions
        {
            Classes = (int)final.Shape[0],
            FinalKernel = new Size3(final.Shape[2], final.Shape[3], final.Shape[4]),
            UNet = new ValidUNetOptions
            {
                InputChannels = (int)first[1],
                FeatureMaps = featureMaps,
                FeatureMapFactor = factor,
                DownsampleFactors = factors,
                DownKernelSizes = [.. Enumerable.Range(0, levels).Select(level => Kernels(state, $"unet.l_conv.{level}", path))],
                UpKernelSizes = [.. Enumerable.Range(0, levels - 1).Select(level => Kernels(state, $"unet.r_conv.0.{level}", path))],
            },
        };
    }

    private static List<Size3> Kernels(StateDict state, string prefix, string path)
    {
        var kernels = new List<Size3>();
        for (var index = 0; state.TryGetValue($"{prefix}.conv_pass.{index}.weight", out var weight); index += 2)
        {
            var shape = weight.Shape;
            if (shape.Length != 5)
            {
                throw new PthFormatException($"'{path}': {prefix}.conv_pass.{index}.weight must be [out, in, kZ, kY, kX]; got [{string.Join(", ", shape)}].");
            }

            kernels.Add(new Size3(shape[2], shape[3], shape[4]));
        }

        return kernels.Count > 0 ? kernels : throw new PthFormatException($"'{path}' is not a semantic U-Net: it has no {prefix}.conv_pass.0.weight.");
    }
}
