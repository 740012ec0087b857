using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>The semantic-segmentation service: predicts with saved weights and the registered block size, trains with the registered settings, logs runs and failures.</summary>
public sealed class SemanticSegmentationTests
{
    private static readonly SemanticUNetOptions Small = new()
    {
        FinalKernel = new Size3(1, 3, 3),
        UNet = new ValidUNetOptions
        {
            FeatureMaps = 2,
            DownsampleFactors = [new Size3(1, 2, 2)],
            DownKernelSizes = [[new(1, 3, 3), new(1, 3, 3)], [new(1, 3, 3), new(1, 3, 3)]],
            UpKernelSizes = [[new(1, 3, 3), new(1, 3, 3)]],
        },
    };

    [Fact]
    public void Prediction_and_training_use_the_registered_options_and_are_logged()
    {
        using var folder = new TemporaryFolder();
        using var raw = new Volume<byte>(2, 48, 48);
        using var labels = new Volume<byte>(2, 48, 48);
        new Random(2).NextBytes(raw.Span);
        for (var i = 0; i < raw.Length; i++)
        {
            labels.Span[i] = (byte)(raw.Span[i] > 128 ? 1 : 0);
        }

        using var host = new TestHost(o =>
        {
            o.SemanticPrediction = new SemanticPredictionOptions { InputSize = (1, 36, 36) };
            o.SemanticTraining = new SemanticTrainingOptions { Iterations = 3, InputSize = (1, 36, 36), Augmentation = SemanticAugmentationOptions.None };
        });
        var service = host.Get<ISemanticSegmentation>();
        using (var network = new SemanticUNet(Small))
        {
            Assert.Equal(3, service.Train(network, [new SemanticTrainingVolume(raw, labels)], folder["semantic.pth"]));
        }

        using var map0 = new Volume<float>(2, 48, 48);
        using var map1 = new Volume<float>(2, 48, 48);
        var grid = service.Predict(new InMemoryChunkedVolume<byte>(raw), folder["semantic.pth"], new SemanticPredictionTargets([new InMemoryChunkedVolume<float>(map0), new InMemoryChunkedVolume<float>(map1)], null), [new Size3(1, 2, 2)]);

        Assert.Equal((1, 36, 36), grid.InputSize);
        var (z, y) = ((int)grid.Covered.Start[0], (int)grid.Covered.Start[1]);
        Assert.Equal(1f, map0[z, y, y] + map1[z, y, y], 5);
        Assert.Contains(6200, host.Logs.Of<SemanticSegmentation>().Select(e => e.EventId.Id));
        Assert.Contains(6210, host.Logs.Of<SemanticSegmentation>().Select(e => e.EventId.Id));
        Assert.Throws<FileNotFoundException>(() => service.Predict(new InMemoryChunkedVolume<byte>(raw), folder["missing.pth"], new SemanticPredictionTargets(null, null)));
        Assert.Contains(host.Logs.Of<SemanticSegmentation>(LogLevel.Error), e => e.Exception is FileNotFoundException);
    }

    [Fact]
    public void Out_of_range_prediction_options_fail_validation()
    {
        using var host = new TestHost(o => o.SemanticPrediction = new SemanticPredictionOptions { BlocksInFlight = 0 });

        var error = Assert.ThrowsAny<Exception>(() => host.Get<ISemanticSegmentation>());

        Assert.Contains("SemanticPrediction", error.Message);
    }
}
