using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.Segmentation;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>The flood-filling service: segments with saved weights and the registered options, and logs runs and failures.</summary>
public sealed class FloodFillSegmentationTests
{
    [Fact]
    public void Segmenting_uses_the_registered_options_and_is_logged()
    {
        using var folder = new TemporaryFolder();
        using (var network = new FloodFillNetwork(new FloodFillNetworkOptions { Depth = 1, Features = 4, FieldOfView = (9, 9, 9), Deltas = (2, 2, 2) }))
        {
            network.Save(folder["ffn.pth"]);
        }

        using var tiff = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"));
        using var raw = tiff.ReadStack<byte>();
        using var crop = raw.Crop(Box.FromZyx(100, 100, 100, 30, 30, 30));
        using var host = new TestHost(o => o.FloodFillInference = new FloodFillInferenceOptions { MinimumSegmentSize = 5, SegmentThreshold = 0.3 });
        var service = host.Get<IFloodFillSegmentation>();
        Assert.Equal(5, service.Options.MinimumSegmentSize);

        using var result = service.Segment(crop, folder["ffn.pth"]);
        using var network2 = FloodFillNetwork.Load(folder["ffn.pth"]);
        using var direct = FloodFillSegmenter.Segment(crop, network2, new FloodFillInferenceOptions { MinimumSegmentSize = 5, SegmentThreshold = 0.3 });

        Assert.Equal(direct.Segmentation.Span.ToArray(), result.Segmentation.Span.ToArray());
        Assert.Contains(6100, host.Logs.Of<FloodFillSegmentation>().Select(e => e.EventId.Id));
        Assert.Throws<FileNotFoundException>(() => service.Segment(crop, folder["missing.pth"]));
        Assert.Contains(host.Logs.Of<FloodFillSegmentation>(LogLevel.Error), e => e.Exception is FileNotFoundException);
    }

    [Fact]
    public void Out_of_range_inference_options_fail_validation()
    {
        using var host = new TestHost(o => o.FloodFillInference = new FloodFillInferenceOptions { MoveThreshold = 1.5 });

        var error = Assert.ThrowsAny<Exception>(() => host.Get<IFloodFillSegmentation>());

        Assert.Contains("FloodFillInference", error.Message);
    }
}
