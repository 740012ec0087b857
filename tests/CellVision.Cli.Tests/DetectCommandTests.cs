using CellVision.Core.Synthetic;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;

namespace CellVision.Cli.Tests;

public class DetectCommandTests
{
    [Fact]
    public void Train_saves_weights_that_predict_reads_and_nuclei_are_written_as_csv_and_trackmate()
    {
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 2, Depth = 8, Height = 32, Width = 32, InitialNuclei = 3, Seed = 4 });
        MovieFiles.Write(folder["movie.zarr"], MovieFormat.Zarr, movie.Images, default);
        foreach (var spot in movie.Truth.SpotsAt(0))
        {
            spot.DetectionTag = Core.Annotations.DetectionTag.TruePositive;
        }

        LineageCsv.Write(movie.Truth, folder["annotations.csv"]);

        var train = CliRunner.Run("detect", "train", "--images", folder["movie.zarr"], "--annotations", folder["annotations.csv"],
            "--model-out", folder["model.pth"], "--epochs", "1", "--crops", "1", "--crop-size", "8,32,32", "--seed", "0");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("epoch 1: loss", train.Output);
        Assert.True(File.Exists(folder["model.pth"]));

        var predict = CliRunner.Run("detect", "predict", "--images", folder["movie.zarr"], "--model", folder["model.pth"],
            "--out", folder["nuclei.csv"], "--patch-size", "8,32,32", "--timepoints", "1-1");
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Contains("timepoint 1:", predict.Output);
        Assert.DoesNotContain("timepoint 0:", predict.Output);
        Assert.True(File.Exists(folder["nuclei-links.csv"]));
        var nuclei = LineageCsv.Read(folder["nuclei.csv"]);
        Assert.All(nuclei.Spots, s => Assert.Equal(1, s.Timepoint));

        var xml = CliRunner.Run("detect", "predict", "--images", folder["movie.zarr"], "--model", folder["model.pth"],
            "--out", folder["nuclei.xml"], "--patch-size", "8,32,32", "--timepoints", "0-0");
        Assert.True(xml.ExitCode == 0, xml.Error);
        Assert.Contains("<TrackMate", File.ReadAllText(folder["nuclei.xml"]));
    }

    [Fact]
    public void Bad_input_fails_with_one_message_and_writes_nothing()
    {
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 1, Depth = 4, Height = 16, Width = 16, InitialNuclei = 1 });
        MovieFiles.Write(folder["movie.tif"], MovieFormat.Tiff, movie.Images, default);
        LineageCsv.Write(movie.Truth, folder["untagged.csv"]);

        var untagged = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["untagged.csv"], "--model-out", folder["m.pth"]);
        Assert.Equal(2, untagged.ExitCode);
        Assert.Contains("nothing to learn", untagged.Error);
        Assert.False(File.Exists(folder["m.pth"]));

        var noModel = CliRunner.Run("detect", "predict", "--images", folder["movie.tif"], "--model", folder["missing.pth"], "--out", folder["n.csv"]);
        Assert.Equal(2, noModel.ExitCode);
        Assert.StartsWith("error:", noModel.Error);
        Assert.False(File.Exists(folder["n.csv"]));

        var range = CliRunner.Run("detect", "predict", "--images", folder["movie.tif"], "--model", folder["missing.pth"], "--out", folder["n.csv"], "--timepoints", "3-9");
        Assert.Equal(2, range.ExitCode);

        var missingOption = CliRunner.Run("detect", "predict", "--images", folder["movie.tif"]);
        Assert.NotEqual(0, missingOption.ExitCode);
        Assert.Contains("--model", missingOption.Error);
    }

    [Fact]
    public void Train_continues_a_model_from_corrections_in_TrackMate_xml()
    {
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 1, Depth = 8, Height = 32, Width = 32, InitialNuclei = 3, Seed = 4 });
        MovieFiles.Write(folder["movie.tif"], MovieFormat.Tiff, movie.Images, default);
        var first = movie.Truth.SpotsAt(0)[0];
        first.DetectionTag = Core.Annotations.DetectionTag.TruePositive;
        LineageCsv.Write(movie.Truth, folder["first.csv"]);
        var train = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["first.csv"],
            "--model-out", folder["round0.pth"], "--epochs", "1", "--crops", "1", "--crop-size", "8,32,32", "--seed", "0");
        Assert.True(train.ExitCode == 0, train.Error);

        // The proofread annotations: a missed nucleus added (fn) and a false positive tagged in the background.
        movie.Truth.SpotsAt(0)[1].DetectionTag = Core.Annotations.DetectionTag.FalseNegative;
        movie.Truth.AddSpot(0, 1, 1, 1, 1.0).DetectionTag = Core.Annotations.DetectionTag.FalsePositive;
        LineageFiles.Write(movie.Truth, folder["corrections.xml"], movie.Images[0], 1, "movie.tif");
        var corrections = LineageFiles.Read(folder["corrections.xml"]);
        Assert.Equal(
            movie.Truth.Spots.OrderBy(s => s.Id).Select(s => s.DetectionTag),
            corrections.Spots.OrderBy(s => s.Id).Select(s => s.DetectionTag));

        var again = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["corrections.xml"],
            "--init", folder["round0.pth"], "--model-out", folder["round1.pth"], "--epochs", "1", "--crops", "1", "--crop-size", "8,32,32", "--seed", "0");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.NotEqual(File.ReadAllBytes(folder["round0.pth"]), File.ReadAllBytes(folder["round1.pth"]));

        // Without --epochs, a continued model gets a short retraining.
        var defaults = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["corrections.xml"],
            "--init", folder["round0.pth"], "--model-out", folder["round1b.pth"], "--crops", "1", "--crop-size", "8,32,32", "--seed", "0");
        Assert.True(defaults.ExitCode == 0, defaults.Error);
        Assert.Contains("epoch 3: loss", defaults.Output);
        Assert.DoesNotContain("epoch 4: loss", defaults.Output);

        // Starting from round 0's weights is not starting from the seed's random weights.
        var fresh = CliRunner.Run("detect", "train", "--images", folder["movie.tif"], "--annotations", folder["corrections.xml"],
            "--model-out", folder["fresh.pth"], "--epochs", "1", "--crops", "1", "--crop-size", "8,32,32", "--seed", "0");
        Assert.True(fresh.ExitCode == 0, fresh.Error);
        Assert.NotEqual(File.ReadAllBytes(folder["fresh.pth"]), File.ReadAllBytes(folder["round1.pth"]));
    }
}
