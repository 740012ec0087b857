using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;

namespace CellVision.Cli.Tests;

public class ConvertCommandTests
{
    [Fact]
    public void A_tiff_stack_goes_to_zarr_and_bdv_and_back_unchanged()
    {
        using var folder = new TemporaryFolder();
        using var volume = new Volume<ushort>(3, 20, 30, new VoxelSize(0.5, 0.5, 2));
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)(i * 37 % 4000);
        }

        TiffWriter.Write(folder["in.tif"], volume);

        Assert.Equal(0, CliRunner.Run("convert", folder["in.tif"], folder["out.zarr"]).ExitCode);
        var zarr = ZarrArray.Open(folder["out.zarr"]);
        Assert.Equal([1L, 3, 20, 30], zarr.Shape);
        Assert.Equal(volume.Span.ToArray(), zarr.Read<ushort>(zarr.Bounds));

        var (code, output, _) = CliRunner.Run("convert", folder["out.zarr"], folder["out.xml"]);
        Assert.Equal(0, code);
        Assert.Contains("Zarr → Bdv", output);
        using var bdv = BdvImage.Open(folder["out.xml"]);
        using var read = bdv.ReadVolume(0, 0);
        Assert.Equal(volume.Span.ToArray(), read.Span.ToArray());

        Assert.Equal(0, CliRunner.Run("convert", folder["out.xml"], folder["back.tif"]).ExitCode);
        using var back = TiffFile.Open(folder["back.tif"]).ReadStack<ushort>();
        Assert.Equal(volume.Span.ToArray(), back.Span.ToArray());
    }

    [Fact]
    public void A_missing_input_an_existing_output_and_an_unknown_format_fail_with_one_message()
    {
        using var folder = new TemporaryFolder();
        var missing = CliRunner.Run("convert", folder["nothing.tif"], folder["out.zarr"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        Assert.False(Directory.Exists(folder["out.zarr"]));

        File.WriteAllText(folder["exists.zarr"], "");
        var existing = CliRunner.Run("convert", folder["nothing.tif"], folder["exists.zarr"]);
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains("already exists", existing.Error);

        var badFormat = CliRunner.Run("convert", folder["a.tif"], folder["b"], "--format", "jpeg");
        Assert.NotEqual(0, badFormat.ExitCode);
        Assert.Contains("not a format", badFormat.Error);
    }

    [Fact]
    public void A_corrupt_tiff_gives_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder["bad.tif"], [0x49, 0x49, 42, 0, 1, 2]);
        var result = CliRunner.Run("convert", folder["bad.tif"], folder["out.zarr"]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Error);
        Assert.False(Directory.Exists(folder["out.zarr"]));
    }
}
