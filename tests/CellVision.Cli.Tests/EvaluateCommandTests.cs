using CellVision.Tests.Shared;

namespace CellVision.Cli.Tests;

public class EvaluateCommandTests
{
    [Fact]
    public void The_ground_truth_scored_against_a_copy_of_itself_is_perfect()
    {
        using var folder = new TemporaryFolder();
        var truth = SharedData.PathOf("ctc-fluo-n2dh-sim-01-tra", "TRA");
        var result = Directory.CreateDirectory(folder["01_RES"]).FullName;
        foreach (var file in Directory.EnumerateFiles(truth, "man_track*.tif"))
        {
            File.Copy(file, Path.Combine(result, Path.GetFileName(file).Replace("man_track", "mask", StringComparison.Ordinal)));
        }

        File.Copy(Path.Combine(truth, "man_track.txt"), Path.Combine(result, "res_track.txt"));

        var (code, output, error) = CliRunner.Run("evaluate", "--gt", truth, "--res", result);
        Assert.True(code == 0, error);
        Assert.Matches(@"DET\s*│\s*1\.000000", output);
        Assert.Matches(@"TRA\s*│\s*1\.000000", output);
        Assert.Matches(@"LNK\s*│\s*1\.000000", output);
        Assert.Contains("AOGM 0.0", output);

        // One result track file line removed: the folder is inconsistent and is refused with one message.
        var lines = File.ReadAllLines(Path.Combine(result, "res_track.txt"));
        File.WriteAllLines(Path.Combine(result, "res_track.txt"), lines[1..]);
        var broken = CliRunner.Run("evaluate", "--gt", truth, "--res", result);
        Assert.Equal(2, broken.ExitCode);
        Assert.StartsWith("error:", broken.Error);
    }

    [Fact]
    public void A_missing_folder_is_one_clear_error()
    {
        using var folder = new TemporaryFolder();
        var (code, _, error) = CliRunner.Run("evaluate", "--gt", folder["nope"], "--res", folder["none"]);
        Assert.Equal(2, code);
        Assert.StartsWith("error:", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
