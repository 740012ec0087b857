using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// Runs alone, so that seeding libtorch's global generator fixes the initial weights: no other test draws from it
/// between the seed and the network's construction.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededSemanticTrainingDefinition
{
    public const string Name = "semantic training from seeded weights";
}

/// <summary>The training loop: it learns a simple task, validates, checkpoints, resumes, cancels cleanly and refuses bad labels.</summary>
[Collection(SeededSemanticTrainingDefinition.Name)]
public sealed class SemanticTrainerTests : IDisposable
{
    private static readonly SemanticUNetOptions Small = new()
    {
        Classes = 2,
        UNet = new ValidUNetOptions
        {
            FeatureMaps = 4,
            DownsampleFactors = [new Size3(1, 2, 2)],
            DownKernelSizes = [[new(1, 3, 3), new(1, 3, 3)], [new(1, 3, 3), new(1, 3, 3)]],
            UpKernelSizes = [[new(1, 3, 3), new(1, 3, 3)]],
        },
    };

    private static readonly SemanticTrainingOptions Quick = new()
    {
        LearningRate = 0.01,
        WeightDecay = 0,
        InputSize = (3, 36, 36),
        Iterations = 60,
        ValidationInterval = 30,
        CheckpointInterval = 1000,
        Augmentation = new SemanticAugmentationOptions { Elastic = false, Intensity = false, TransposableAxes = (false, true, true) },
        Seed = 1,
    };

    private readonly TemporaryFolder folder = new();
    private readonly SemanticTrainingVolume volume = Blobs(7);

    public void Dispose()
    {
        volume.Raw.Dispose();
        volume.Labels.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void A_small_network_learns_bright_blobs_and_reports_validation_dice()
    {
        // Not every random start reaches Dice 0.9 in 60 steps (one full run ended at Dice 0): start from seeded weights.
        TorchRuntime.ManualSeed(5);
        using var network = new SemanticUNet(Small);
        var reports = new List<SemanticTrainingProgress>();
        var validation = Blobs(11);

        var last = SemanticTrainer.Train(network, [volume], Quick, [validation], progress: new SynchronousProgress<SemanticTrainingProgress>(reports));

        Assert.Equal(60, last);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss)));
        Assert.Equal([30L, 60L], reports.Where(r => r.ValidationDice is not null).Select(r => r.Step));
        Assert.True(reports[^1].ValidationDice![0] > 0.9, $"validation Dice {reports[^1].ValidationDice![0]:F3}");
        Assert.Equal(reports[^1].ValidationDice![0], SemanticTrainer.Validate(network, [validation], Quick)[0], 12);
        Assert.False(network.IsTraining);
        validation.Raw.Dispose();
        validation.Labels.Dispose();
    }

    [Fact]
    public void A_cancelled_run_writes_its_checkpoint_and_a_resumed_run_continues_from_it()
    {
        var checkpoint = folder["semantic.pth"];
        using var cancel = new CancellationTokenSource();
        var steps = new List<long>();
        var progress = new CallbackProgress(p =>
        {
            steps.Add(p.Step);
            if (p.Step == 7)
            {
                cancel.Cancel();
            }
        });
        using (var network = new SemanticUNet(Small))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => SemanticTrainer.Train(network, [volume], Quick with { Iterations = 20 }, checkpoint: checkpoint, progress: progress, cancellationToken: cancel.Token));
        }

        Assert.Equal("7", File.ReadAllText(checkpoint + ".step"));
        using var resumed = new SemanticUNet(Small);
        steps.Clear();
        var last = SemanticTrainer.Train(resumed, [volume], Quick with { Iterations = 10 }, checkpoint: checkpoint, progress: new CallbackProgress(p => steps.Add(p.Step)));

        Assert.Equal(10, last);
        Assert.Equal([8L, 9L, 10L], steps);
        Assert.Equal("10", File.ReadAllText(checkpoint + ".step"));
    }

    [Fact]
    public void Labels_beyond_the_networks_classes_and_blocks_larger_than_the_data_are_refused()
    {
        using var network = new SemanticUNet(Small);
        using var raw = new Volume<byte>(3, 40, 40);
        using var labels = new Volume<byte>(3, 40, 40);
        labels[1, 20, 20] = 2;

        var classes = Assert.Throws<ArgumentException>(() => SemanticTrainer.Train(network, [new SemanticTrainingVolume(raw, labels)], Quick));
        Assert.Contains("class 2", classes.Message, StringComparison.Ordinal);
        labels[1, 20, 20] = 1;
        using var thin = new Volume<byte>(3, 10, 40);
        Assert.Throws<ArgumentException>(() => SemanticTrainer.Train(network, [new SemanticTrainingVolume(thin, new Volume<byte>(3, 10, 40))], Quick));
    }

    /// <summary>Dark noise with bright discs (class 1) in each of three sections.</summary>
    private static SemanticTrainingVolume Blobs(int seed)
    {
        var random = new Random(seed);
        var raw = new Volume<byte>(3, 64, 64);
        var labels = new Volume<byte>(3, 64, 64);
        for (var z = 0; z < 3; z++)
        {
            var discs = Enumerable.Range(0, 6).Select(_ => (Y: random.Next(64), X: random.Next(64), R: 4 + random.Next(6))).ToArray();
            for (var y = 0; y < 64; y++)
            {
                for (var x = 0; x < 64; x++)
                {
                    var inside = discs.Any(d => ((y - d.Y) * (y - d.Y)) + ((x - d.X) * (x - d.X)) <= d.R * d.R);
                    labels[z, y, x] = (byte)(inside ? 1 : 0);
                    raw[z, y, x] = (byte)Math.Clamp((inside ? 170 : 70) + random.Next(-40, 41), 0, 255);
                }
            }
        }

        return new SemanticTrainingVolume(raw, labels);
    }

    private sealed class CallbackProgress(Action<SemanticTrainingProgress> report) : IProgress<SemanticTrainingProgress>
    {
        public void Report(SemanticTrainingProgress value) => report(value);
    }
}
