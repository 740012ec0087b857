using System.Globalization;
using System.Text.RegularExpressions;

namespace CellVision.Cli.Tests;

public class DemoCommandTests
{
    /// <summary>
    /// The reduced demo (5 timepoints of 16×64×64 voxels, 32 true nuclei) run end to end. The floors sit 0.15 or more
    /// below what the run printed on a 2-core machine (detection precision 1.00, recall 0.875, DET 0.875, TRA 0.872,
    /// LNK 0.846), leaving room for other thread counts and floating-point orders, and far above what a broken step
    /// gives: an untrained or mis-wired detector finds nothing (recall, DET and TRA 0) or everywhere (precision near
    /// 0), and a linker that links nothing scores LNK 0.
    /// </summary>
    [Fact]
    public void The_small_demo_detects_tracks_scores_and_writes_its_report()
    {
        using var folder = new TemporaryFolder();
        var (code, output, error) = CliRunner.Run("demo", "--small", "--out", folder.Path);
        Assert.True(code == 0, error);

        double Score(string measure)
        {
            var match = Regex.Match(output, $@"│ {Regex.Escape(measure)}\s*│\s*([0-9.]+)");
            Assert.True(match.Success, $"'{measure}' is missing from the output:\n{output}");
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        Assert.True(Score("detection recall") >= 0.7, output);
        Assert.True(Score("detection precision") >= 0.8, output);
        Assert.True(Score("DET (with flow)") >= 0.7, output);
        Assert.True(Score("TRA (with flow)") >= 0.7, output);
        Assert.True(Score("TRA (without flow)") >= 0.7, output);
        Assert.True(Score("LNK (with flow)") >= 0.6, output);

        var report = Path.Combine(folder.Path, "report", "report.md");
        Assert.Contains("Report:", output);
        var markdown = File.ReadAllText(report);
        foreach (Match image in Regex.Matches(markdown, @"!\[[^\]]*\]\(([^)]+\.png)\)"))
        {
            var png = File.ReadAllBytes(Path.Combine(folder.Path, "report", image.Groups[1].Value));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }

        Assert.Contains("tracks_t000.png", markdown);
        Assert.Contains("lineage.png", markdown);
        Assert.Contains("loss.png", markdown);
        Assert.True(File.Exists(Path.Combine(folder.Path, "data", "movie.xml")));
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "data", "movie.zarr")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "ctc", "01_RES", "res_track.txt")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "ctc", "01_GT", "TRA", "man_track.txt")));
    }

    [Fact]
    public void Bad_demo_arguments_fail_with_one_message()
    {
        var epochs = CliRunner.Run("demo", "--epochs", "0");
        Assert.Equal(2, epochs.ExitCode);
        Assert.Contains("--epochs", epochs.Error);

        var unknown = CliRunner.Run("demo", "--frobnicate");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("--frobnicate", unknown.Error);
    }
}
