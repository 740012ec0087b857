using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Input sizes of the semantic U-Net: incasem's 204 → 110, the sizes that fit, and clear errors for the others.</summary>
public sealed class SemanticUNetGeometryTests
{
    [Fact]
    public void Incasems_network_has_5837730_parameters_and_maps_204_to_110()
    {
        using var network = new SemanticUNet();

        Assert.Equal(5_837_730, network.Parameters().Sum(p => p.ElementCount));
        Assert.Equal((110, 110, 110), network.GetOutputSize((204, 204, 204)));
        Assert.Equal((112, 112, 112), network.UNet.GetOutputSize((204, 204, 204)));
    }

    [Fact]
    public void The_valid_input_sizes_are_100_to_204_in_steps_of_8()
    {
        using var network = new SemanticUNet();

        Assert.Equal(Enumerable.Range(0, 14).Select(i => 100 + (8 * i)), network.GetValidInputSizes(0, 204));
        Assert.Equal(network.GetValidInputSizes(2, 204), network.UNet.GetValidInputSizes(2, 204));
    }

    [Fact]
    public void A_size_that_a_max_pool_cannot_divide_names_the_axis_the_level_and_the_nearest_sizes()
    {
        using var network = new SemanticUNet();

        var error = Assert.Throws<ArgumentException>(() => network.GetOutputSize((204, 205, 204)));

        Assert.Contains("205 along Y", error.Message, StringComparison.Ordinal);
        Assert.Contains("level 0 gives 201 voxels to its max pool, which is not divisible by the factor 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("204 and 212", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_size_too_small_for_the_translation_equivariant_crop_is_refused()
    {
        using var network = new SemanticUNet();

        var error = Assert.Throws<ArgumentException>(() => network.GetOutputSize((92, 204, 204)));

        Assert.Contains("92 along Z", error.Message, StringComparison.Ordinal);
        Assert.Contains("level 0 of the up path", error.Message, StringComparison.Ordinal);
        Assert.Contains("smallest size that works is 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_refuses_a_size_that_does_not_fit_before_computing_anything()
    {
        using var network = new SemanticUNet(new SemanticUNetOptions { UNet = new ValidUNetOptions { FeatureMaps = 1 } });
        using var input = Tensor.Zeros([1, 1, 100, 100, 101]);

        var error = Assert.Throws<ArgumentException>(() => network.Forward(input));

        Assert.Contains("101 along X", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anisotropic_pooling_keeps_Z_sizes_that_isotropic_pooling_refuses()
    {
        var options = new ValidUNetOptions
        {
            FeatureMaps = 1,
            DownsampleFactors = [new(1, 2, 2), new(1, 2, 2), new(2, 2, 2)],
            DownKernelSizes = [[new(1, 3, 3), new(1, 3, 3)], [new(1, 3, 3), new(3, 3, 3)], [new(3, 3, 3), new(3, 3, 3)], [new(3, 3, 3)]],
            UpKernelSizes = [[new(1, 3, 3), new(1, 3, 3)], [new(3, 3, 3)], [new(3, 3, 3), new(3, 3, 3)]],
        };
        using var network = new SemanticUNet(new SemanticUNetOptions { Classes = 3, UNet = options });

        Assert.Equal((8, 14, 22), network.GetOutputSize((26, 92, 100)));
        Assert.Equal(20, network.GetValidInputSizes(0, 40)[0]);
        Assert.Equal(84, network.GetValidInputSizes(1, 120)[0]);
    }

    [Fact]
    public void Parameter_names_follow_the_reference_modules()
    {
        using var network = new SemanticUNet();
        var names = network.NamedParameters().Select(p => p.Name).ToList();

        Assert.Equal(30, names.Count);
        Assert.Contains("unet.l_conv.3.conv_pass.2.weight", names);
        Assert.Contains("unet.r_conv.0.0.conv_pass.0.bias", names);
        Assert.Equal(["final_conv_pass.conv_pass.0.weight", "final_conv_pass.conv_pass.0.bias"], names[^2..]);
        Assert.Equal([32L, 96, 3, 3, 3], network.UNet.UpPasses[0].Convolutions.First().Weight.Shape);
    }
}
