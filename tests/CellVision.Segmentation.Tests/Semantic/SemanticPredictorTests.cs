using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.Segmentation;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Block-wise prediction: incasem's block layout, agreement with the whole-volume prediction, masks, resumption, refusals.</summary>
public sealed class SemanticPredictorTests : IDisposable
{
    private static readonly long[] Shape = [23, 41, 37];
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Blocks_step_by_the_output_size_and_the_last_one_ends_at_the_limit()
    {
        var grid = SemanticBlockGrid.Create(Box.FromZyx(0, 10, 0, 204, 400, 314), (204, 204, 204), (110, 110, 110));

        Assert.Equal(1 * 3 * 2, grid.Count);
        Assert.Equal(Box.FromZyx(47, 57, 47, 110, 110, 110), grid.OutputBlock(0));
        Assert.Equal(Box.FromZyx(47, 167, 157, 110, 110, 110), grid.OutputBlock(3));
        Assert.Equal(Box.FromZyx(47, 253, 157, 110, 110, 110), grid.OutputBlock(5));
        Assert.Equal(Box.FromZyx(0, 206, 110, 204, 204, 204), grid.InputBlock(5));
        Assert.Equal(Box.FromZyx(47, 57, 47, 110, 306, 220), grid.Covered);
        Assert.Throws<ArgumentException>(() => SemanticBlockGrid.Create(Box.FromZyx(0, 0, 0, 203, 400, 400), (204, 204, 204), (110, 110, 110)));
        Assert.Throws<ArgumentException>(() => SemanticBlockGrid.Create(Box.FromZyx(0, 0, 0, 300, 300, 300), (204, 204, 204), (111, 110, 110)));
    }

    [Fact]
    public void Block_probabilities_equal_the_whole_volume_prediction_and_the_segmentation_follows_the_mask()
    {
        var network = new MeanFilterNetwork(classes: 3, layers: 2, gain: 6f);
        var (raw, image) = Raw();
        var mask = ZarrArray.Create<byte>(folder["mask.zarr"], Shape, [8, 16, 16]);
        var inside = new byte[Shape[0] * Shape[1] * Shape[2]];
        for (var i = 0; i < inside.Length; i++)
        {
            inside[i] = (byte)(i % 7 == 0 ? 0 : 1);
        }

        mask.Write(new Box([0, 0, 0], Shape), (ReadOnlySpan<byte>)inside);
        var (maps, segmentation) = Targets(3);

        var grid = SemanticPredictor.Predict(raw, network, new SemanticPredictionTargets(maps, segmentation), new SemanticPredictionOptions { InputSize = (12, 17, 15), BlocksInFlight = 1 }, mask: mask);

        var calls = network.Calls;
        var expected = network.WholeVolume(image, ((int)Shape[0], (int)Shape[1], (int)Shape[2]), out var size);
        var covered = grid.Covered;
        Assert.Equal(Box.FromZyx(2, 2, 2, size.Z, size.Y, size.X), covered);
        var length = size.Z * size.Y * size.X;
        var labels = new uint[length];
        segmentation.Read(covered, labels.AsSpan());
        var probabilities = new float[3][];
        for (var c = 0; c < 3; c++)
        {
            probabilities[c] = new float[length];
            maps[c].Read(covered, probabilities[c].AsSpan());
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(expected[(c * length) + i], probabilities[c][i], 6);
            }
        }

        var classesSeen = new HashSet<uint>();
        for (var z = 0; z < size.Z; z++)
        {
            for (var y = 0; y < size.Y; y++)
            {
                for (var x = 0; x < size.X; x++)
                {
                    var i = (((z * size.Y) + y) * size.X) + x;
                    var best = Enumerable.Range(0, 3).MaxBy(c => probabilities[c][i]);
                    var volumeIndex = ((((z + 2) * Shape[1]) + y + 2) * Shape[2]) + x + 2;
                    Assert.Equal(inside[volumeIndex] == 0 ? 0u : (uint)best, labels[i]);
                    classesSeen.Add(labels[i]);
                }
            }
        }

        Assert.Equal([0u, 2u], classesSeen.Order());
        Assert.Equal(grid.Count, calls);
    }

    [Fact]
    public void A_resumed_run_skips_finished_blocks_and_ends_with_the_same_arrays()
    {
        var (raw, _) = Raw();
        var (first, firstSegmentation) = Targets(2, "a");
        var done = new List<int>();
        var once = new MeanFilterNetwork(2, 1, 4f);
        using var cancel = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            done.Add(p.Block);
            if (done.Count == 3)
            {
                cancel.Cancel();
            }
        });
        var options = new SemanticPredictionOptions { InputSize = (10, 12, 12), BlocksInFlight = 2 };

        Assert.ThrowsAny<OperationCanceledException>(() => SemanticPredictor.Predict(raw, once, new SemanticPredictionTargets(first, firstSegmentation), options, progress: progress, cancellationToken: cancel.Token));
        var again = new MeanFilterNetwork(2, 1, 4f);
        var grid = SemanticPredictor.Predict(raw, again, new SemanticPredictionTargets(first, firstSegmentation), options, finishedBlocks: done.ToHashSet());

        Assert.Equal(grid.Count - done.Count, again.Calls);
        var (second, secondSegmentation) = Targets(2, "b");
        SemanticPredictor.Predict(raw, new MeanFilterNetwork(2, 1, 4f), new SemanticPredictionTargets(second, secondSegmentation), options);
        var whole = new Box([0, 0, 0], Shape);
        Assert.Equal(Read<float>(second[1], whole), Read<float>(first[1], whole));
        Assert.Equal(Read<uint>(secondSegmentation, whole), Read<uint>(firstSegmentation, whole));
    }

    [Fact]
    public void Mismatched_arrays_and_a_region_outside_the_volume_are_refused()
    {
        var (raw, _) = Raw();
        var network = new MeanFilterNetwork(2, 1, 1f);
        var (maps, segmentation) = Targets(2);
        var small = ZarrArray.Create<uint>(folder["small.zarr"], [5, 5, 5], [5, 5, 5]);
        var options = new SemanticPredictionOptions { InputSize = (8, 8, 8) };

        Assert.Throws<ArgumentException>(() => SemanticPredictor.Predict(raw, network, new SemanticPredictionTargets(maps, small), options));
        Assert.Throws<ArgumentException>(() => SemanticPredictor.Predict(raw, network, new SemanticPredictionTargets([maps[0]], segmentation), options));
        Assert.Throws<ArgumentException>(() => SemanticPredictor.Predict(raw, network, new SemanticPredictionTargets(maps, segmentation), options, region: Box.FromZyx(20, 0, 0, 8, 8, 8)));
        Assert.Throws<ArgumentException>(() => SemanticPredictor.Predict(raw, network, new SemanticPredictionTargets(maps, segmentation), new SemanticPredictionOptions { InputSize = (24, 8, 8) }));
    }

    private sealed class CallbackProgress(Action<SemanticPredictionProgress> report) : IProgress<SemanticPredictionProgress>
    {
        public void Report(SemanticPredictionProgress value) => report(value);
    }

    private (ZarrArray Raw, float[] Image) Raw()
    {
        var raw = ZarrArray.Create<byte>(folder["raw.zarr"], Shape, [8, 16, 16]);
        var random = new Random(3);
        var values = new byte[Shape[0] * Shape[1] * Shape[2]];
        random.NextBytes(values);
        raw.Write(new Box([0, 0, 0], Shape), (ReadOnlySpan<byte>)values);
        return (raw, [.. values.Select(v => (v * (1f / 255f) * 2f) - 1f)]);
    }

    private (ZarrArray[] Maps, ZarrArray Segmentation) Targets(int classes, string prefix = "")
    {
        var maps = Enumerable.Range(0, classes).Select(c => ZarrArray.Create<float>(folder[$"{prefix}class_{c}.zarr"], Shape, [8, 16, 16])).ToArray();
        return (maps, ZarrArray.Create<uint>(folder[$"{prefix}segmentation.zarr"], Shape, [8, 16, 16]));
    }

    private static T[] Read<T>(ZarrArray array, Box box)
        where T : unmanaged
    {
        var values = new T[box.ElementCount];
        array.Read(box, values.AsSpan());
        return values;
    }
}
