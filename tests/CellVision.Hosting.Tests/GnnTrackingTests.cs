using CellVision.IO.Ctc;
using CellVision.Tracking;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>Runs alone: its seeded training reseeds libtorch's process-wide generator, which other tests draw from.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GnnTrackingDefinition
{
    public const string Name = "gnn tracking: libtorch's generator";
}

/// <summary>The GNN tracking service: trains and tracks over CTC folders with the registered options and logs both.</summary>
[Collection(GnnTrackingDefinition.Name)]
public sealed class GnnTrackingTests
{
    [Fact]
    public void Training_and_tracking_use_the_registered_options_and_are_logged()
    {
        using var folder = new TemporaryFolder();
        var source = SharedData.PathOf("ctc-fluo-n2dh-sim-01");
        var images = folder.Sub("01");
        var truth = folder.Sub("01_GT", "TRA");
        foreach (var t in Enumerable.Range(0, 8))
        {
            File.Copy(Path.Combine(source, "01", $"t{t:D3}.tif"), Path.Combine(images, $"t{t:D3}.tif"));
            File.Copy(Path.Combine(source, "01_GT", "TRA", $"man_track{t:D3}.tif"), Path.Combine(truth, $"man_track{t:D3}.tif"));
        }

        using var host = new TestHost(o => o.GnnTracking = new GnnTrackerOptions
        {
            WindowLength = 4, MaxEpochs = 2, Seed = 1, Embedding = new GnnEmbeddingOptions { Training = new CellEmbeddingTrainingOptions { MaxEpochs = 1 } },
        });
        var service = host.Get<IGnnTracking>();
        Assert.Equal(2, service.Options.MaxEpochs);

        var trained = service.Train([images], folder["gnn.pth"]);
        Assert.Equal(2, trained.Epochs.Count);
        Assert.True(File.Exists(folder["gnn.pth"]));
        Assert.True(File.Exists(folder["gnn-embedding.pth"])); // the metric-learning model, trained first

        var tracks = service.Track(folder["gnn.pth"], images, truth, folder["01_RES"]);
        Assert.Equal(8, Directory.GetFiles(folder["01_RES"], "mask*.tif").Length);
        Assert.Equal(tracks.Tracks.Count, CtcTrackFile.Read(Path.Combine(folder["01_RES"], "res_track.txt")).Count);

        var events = host.Logs.Of<GnnTracking>().Select(e => e.EventId.Id).ToList();
        Assert.Contains(4100, events);
        Assert.Contains(4101, events);
        Assert.Throws<DirectoryNotFoundException>(() => service.Track(folder["gnn.pth"], images, folder["missing"], folder["02_RES"]));
        Assert.Contains(host.Logs.Of<GnnTracking>(LogLevel.Error), e => e.Exception is DirectoryNotFoundException);
        Assert.False(Directory.Exists(folder["02_RES"]));
    }
}
