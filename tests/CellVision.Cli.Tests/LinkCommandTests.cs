using CellVision.Core.Synthetic;
using CellVision.IO.Ctc;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;

namespace CellVision.Cli.Tests;

public class LinkCommandTests
{
    [Fact]
    public void Unlinked_true_positions_are_relinked_into_the_true_lineage_and_written_as_csv_trackmate_and_ctc()
    {
        using var folder = new TemporaryFolder();
        var options = new SyntheticTimeLapseOptions { Timepoints = 6, Depth = 8, Height = 48, Width = 48, InitialNuclei = 5, DivisionProbability = 0, AppearanceProbability = 0, Seed = 11 };
        using var movie = SyntheticTimeLapse.Generate(options);
        var truth = movie.Truth.Links.Select(l => (l.Source.Id, l.Target.Id)).ToHashSet();
        LineageCsv.Write(movie.Truth, folder["spots.csv"]);
        MovieFiles.Write(folder["movie.zarr"], MovieFormat.Zarr, movie.Images, default);

        var (code, output, error) = CliRunner.Run("link", "--spots", folder["spots.csv"], "--out", folder["tracks.csv"]);
        Assert.True(code == 0, error);
        Assert.Contains($"{truth.Count} links added", output);
        var linked = LineageCsv.Read(folder["tracks.csv"], folder["tracks-links.csv"]);
        Assert.Equal(truth.Count, linked.LinkCount);

        // Spot ids in the CSV are the truth's, so the read-back links name the same spots by position.
        var byPosition = movie.Truth.Spots.ToDictionary(s => (s.Timepoint, s.X, s.Y, s.Z), s => s.Id);
        Assert.All(linked.Links, l => Assert.Contains((byPosition[(l.Source.Timepoint, l.Source.X, l.Source.Y, l.Source.Z)], byPosition[(l.Target.Timepoint, l.Target.X, l.Target.Y, l.Target.Z)]), truth));

        Assert.Equal(0, CliRunner.Run("link", "--spots", folder["spots.csv"], "--out", folder["tracks.xml"]).ExitCode);
        Assert.Contains("<Edge", File.ReadAllText(folder["tracks.xml"]));

        var ctc = CliRunner.Run("link", "--spots", folder["spots.csv"], "--out", folder["01_RES"], "--images", folder["movie.zarr"]);
        Assert.True(ctc.ExitCode == 0, ctc.Error);
        Assert.Empty(CtcValidator.ValidateFolder(folder["01_RES"]));
    }

    [Fact]
    public void Bad_arguments_fail_with_one_message()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder["spots.csv"], "timepoint,x,y,z,radius\n0,1,1,1,2\n1,1,1,1,2\n");

        var ctcWithoutImages = CliRunner.Run("link", "--spots", folder["spots.csv"], "--out", folder["01_RES"]);
        Assert.Equal(2, ctcWithoutImages.ExitCode);
        Assert.Contains("--images", ctcWithoutImages.Error);

        var badThreshold = CliRunner.Run("link", "--spots", folder["spots.csv"], "--out", folder["t.csv"], "--threshold", "-1");
        Assert.Equal(2, badThreshold.ExitCode);
        Assert.False(File.Exists(folder["t.csv"]));

        var missing = CliRunner.Run("link", "--spots", folder["none.csv"], "--out", folder["t.csv"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
    }
}
