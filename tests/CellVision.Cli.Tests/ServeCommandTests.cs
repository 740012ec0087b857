namespace CellVision.Cli.Tests;

public class ServeCommandTests
{
    [Fact]
    public void BadAddressesThreadCountsAndModelAddressesAreRefusedBeforeListening()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, _, error) = CliRunner.Run("serve", "--workspace", folder.Path, "--urls", "localhost:8080");
        Assert.Equal(2, exitCode);
        Assert.Contains("--urls: 'localhost:8080' is not an http:// or https:// address.", error, StringComparison.Ordinal);

        (exitCode, _, error) = CliRunner.Run("serve", "--workspace", folder.Path, "--threads", "0");
        Assert.Equal(2, exitCode);
        Assert.Contains("--threads must be at least 1.", error, StringComparison.Ordinal);

        (exitCode, _, error) = CliRunner.Run("serve", "--workspace", folder.Path, "--pretrained-models", "releases/data");
        Assert.Equal(2, exitCode);
        Assert.Contains("--pretrained-models: 'releases/data' is not an http:// or https:// address.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkspaceIsRequired()
    {
        var (exitCode, _, error) = CliRunner.Run("serve");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--workspace", error, StringComparison.Ordinal);
    }
}
