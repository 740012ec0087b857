using System.Text.Json.Nodes;
using CellVision.Segmentation;
using CellVision.Torch;
using CellVision.Torch.Serialization;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// incasem's semantic network, normalisation and loss against a plain-PyTorch transcription
/// (Golden/incasem_unet_golden.py): forward passes of the reference configuration and of an anisotropic one, one
/// balanced Adam step, and checkpoints that load both ways under the reference names.
/// </summary>
public sealed class SemanticUNetGoldenTests(SemanticGoldenFixture golden) : IClassFixture<SemanticGoldenFixture>
{
    [Fact]
    public void The_reference_configuration_gives_the_transcriptions_logits()
    {
        using var network = SemanticUNet.Load(golden["reference.pth"]);

        var (values, shape) = golden.Forward(network, "reference");

        Assert.Equal(5_837_730, network.Parameters().Sum(p => p.ElementCount));
        Assert.Equal(Expected("reference", "output"), shape);
        SemanticGoldenFixture.AssertClose(golden.Floats("reference.output.bin"), values, 1e-5);
    }

    [Fact]
    public void Incasems_topology_maps_204_cubed_to_110_cubed_as_the_transcription_does()
    {
        using var network = SemanticUNet.Load(golden["narrow.pth"]);

        var (values, shape) = golden.Forward(network, "narrow");

        Assert.Equal([1L, 2, 110, 110, 110], shape);
        SemanticGoldenFixture.AssertClose(golden.Floats("narrow.output.bin"), values, 1e-5);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("anisotropic")]
    public void Inference_in_onednns_blocked_layout_equals_the_dense_path(string name)
    {
        using var network = name == "reference" ? SemanticUNet.Load(golden["reference.pth"]) : SemanticUNet.Load(golden[$"{name}.pth"], golden.Factors(name));
        Assert.True(network.UNet.BlockedLayoutInference);

        var blocked = golden.Forward(network, name).Values;
        network.UNet.BlockedLayoutInference = false;
        var dense = golden.Forward(network, name).Values;

        // Small convolutions go to different kernels in the dense path, so only float32 rounding may differ.
        SemanticGoldenFixture.AssertClose(dense, blocked, 1e-6);
    }

    [Fact]
    public void An_anisotropic_network_forward_and_one_balanced_Adam_step_equal_the_transcriptions()
    {
        const string Case = "anisotropic";
        using var network = SemanticUNet.Load(golden[$"{Case}.pth"], golden.Factors(Case));
        network.Train();
        Assert.Equal(3, network.Options.Classes);
        Assert.Equal([new Size3(1, 3, 3), new Size3(3, 3, 3)], network.UNet.DownPasses[1].KernelSizes);
        Assert.Single(network.UNet.DownPasses[3].KernelSizes);
        var size = golden.Size(Case);
        var (z, y, x) = network.GetOutputSize(size);
        var labels = golden.Ints($"{Case}.labels.bin");
        var mask = File.ReadAllBytes(golden[$"{Case}.mask.bin"]).Select(b => b != 0).ToArray();
        var scales = new float[labels.Length];
        SemanticLoss.BalanceScales(labels, mask, 3, scales);
        Assert.Equal(golden.Floats($"{Case}.scales.bin"), scales);
        Assert.True(golden.Manifest[Case]!["class2_fraction"]!.GetValue<double>() < SemanticLoss.DefaultClipMin, "The clip does not bind in this case.");
        SemanticGoldenFixture.AssertClose(golden.Floats($"{Case}.output.bin"), golden.Forward(network, Case).Values, 1e-5);
        Assert.Equal(Expected(Case, "output")[2..], new long[] { z, y, x });

        using var optimizer = SemanticTrainingStep.CreateOptimizer(network);
        var loss = SemanticTrainingStep.Run(network, optimizer, golden.Floats($"{Case}.input.bin"), size, labels, mask);

        var expectedLoss = golden.Manifest[Case]!["loss"]!.GetValue<double>();
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * expectedLoss, $"loss {loss} vs {expectedLoss}");
        using var gradients = PthFile.LoadStateDict(golden[$"{Case}.gradients.pth"]);
        using var stepped = PthFile.LoadStateDict(golden[$"{Case}.stepped.pth"]);
        var parameters = network.NamedParameters().ToList();
        Assert.Equal(stepped.Keys.Order(), parameters.Select(p => p.Name).Order());
        foreach (var (name, parameter) in parameters)
        {
            var expectedGradient = gradients[name].ToArray<float>();
            using var gradient = parameter.Grad!;
            var scale = Math.Max(expectedGradient.Max(Math.Abs), 1e-12);
            var actualGradient = gradient.ToArray<float>();
            var worst = expectedGradient.Select((g, i) => Math.Abs(g - actualGradient[i]) / scale).Max();
            Assert.True(worst <= 1e-4, $"{name}: gradient differs by {worst:E2} of its largest entry");
            SemanticGoldenFixture.AssertClose(stepped[name].ToArray<float>(), parameter.ToArray<float>(), 1e-5);
        }
    }

    [Fact]
    public void An_incasem_checkpoint_with_optimizer_state_loads_its_model_state_dict()
    {
        using var fromCheckpoint = SemanticUNet.Load(golden["checkpoint.pth"]);
        using var reference = PthFile.LoadStateDict(golden["reference.pth"]);
        using var loaded = fromCheckpoint.StateDict();

        Assert.Equal(reference.Keys, loaded.Keys);
        foreach (var (name, tensor) in reference)
        {
            Assert.Equal(tensor.ToArray<float>(), loaded[name].ToArray<float>());
        }
    }

    [Fact]
    public void Saved_networks_load_strictly_in_the_transcription_as_incasems_prediction_reads_them()
    {
        using (var network = SemanticUNet.Load(golden["reference.pth"]))
        {
            network.Save(golden["csharp.pth"]);
        }

        var check = JsonNode.Parse(PythonReference.Run("Golden/incasem_unet_golden.py", "check", Path.GetDirectoryName(golden["csharp.pth"])!))!;

        Assert.Empty(check["missing"]!.AsArray());
        Assert.Empty(check["unexpected"]!.AsArray());
        Assert.Equal(0.0, check["max_difference"]!.GetValue<double>());
    }

    [Fact]
    public void Input_normalisation_equals_gunpowders_bit_for_bit()
    {
        var raw = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var normalized = new float[256];

        SemanticUNet.NormalizeInput(raw, normalized);

        Assert.Equal(golden.Floats("normalized.bin").Select(BitConverter.SingleToInt32Bits), normalized.Select(BitConverter.SingleToInt32Bits));
    }

    private long[] Expected(string name, string key) => [.. golden.Manifest[name]![key]!.AsArray().Select(n => n!.GetValue<long>())];
}
