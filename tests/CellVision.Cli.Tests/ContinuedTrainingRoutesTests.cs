using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Detection;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;

namespace CellVision.Cli.Tests;

/// <summary>One round of the incremental loop gives the same weights from the library's catalog and from the command line.</summary>
public sealed class ContinuedTrainingRoutesTests
{
    [Fact]
    public void Continuing_a_model_after_proofreading_gives_the_same_weights_in_the_library_and_on_the_command_line()
    {
        using var folder = new TemporaryFolder();
        using var synthetic = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 1, Depth = 8, Height = 32, Width = 32, InitialNuclei = 3, Seed = 4 });
        MovieFiles.Write(folder["movie.tif"], MovieFormat.Tiff, synthetic.Images, default);
        var spots = synthetic.Truth.SpotsAt(0);
        spots[0].DetectionTag = DetectionTag.TruePositive;
        LineageCsv.Write(synthetic.Truth, folder["first.csv"]);
        var first = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["first.csv"],
            "--model-out", folder["round0.pth"], "--epochs", "1", "--crops", "1", "--crop-size", "8,32,32", "--seed", "4");
        Assert.True(first.ExitCode == 0, first.Error);

        // Proofreading: a missed nucleus added, a false positive tagged.
        spots[1].DetectionTag = DetectionTag.FalseNegative;
        synthetic.Truth.AddSpot(0, 2, 2, 2, 1.0).DetectionTag = DetectionTag.FalsePositive;
        LineageCsv.Write(synthetic.Truth, folder["corrected.csv"]);

        var cli = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["corrected.csv"],
            "--init", folder["round0.pth"], "--model-out", folder["cli.pth"], "--crops", "1", "--crop-size", "8,32,32", "--seed", "4");
        Assert.True(cli.ExitCode == 0, cli.Error);

        var cv = new CellVisionContext(4);
        using var movie = cv.Movies.Open(folder["movie.tif"]);
        var options = new NucleusDetectorOptions { Training = DetectionTrainingOptions.Retraining with { CropsPerTimepoint = 1, CropSize = (8, 32, 32) } };
        using (var detector = cv.Detection.Continue(folder["round0.pth"], movie, cv.Lineages.Load(folder["corrected.csv"]), options))
        {
            detector.SaveWeights(folder["library.pth"]);
        }

        WeightFiles.AssertSame(folder["cli.pth"], folder["library.pth"]);
        Assert.ThrowsAny<Exception>(() => WeightFiles.AssertSame(folder["round0.pth"], folder["library.pth"]));
    }
}
