using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

public class ClaheCommandTests
{
    [Fact]
    public void The_command_writes_what_the_library_computes()
    {
        using var folder = new TemporaryFolder();
        using var volume = new Volume<ushort>(8, 24, 24);
        var random = new Random(3);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)random.Next(0, 3000);
        }

        TiffWriter.Write(folder["in.tif"], volume);
        var (code, output, error) = CliRunner.Run("clahe", folder["in.tif"], folder["out.tif"], "--clip-limit", "0.03", "--kernel-size", "4");
        Assert.True(code == 0, error);
        Assert.Contains("CLAHE (skimage", output);

        using var expected = Clahe.EqualizeToUInt16(volume, new ClaheOptions { ClipLimit = 0.03, KernelSize = [4] });
        using var written = TiffFile.Open(folder["out.tif"]).ReadStack<ushort>();
        Assert.Equal(expected.Span.ToArray(), written.Span.ToArray());
    }

    [Fact]
    public void A_zarr_volume_is_streamed_into_a_zarr_volume_with_the_library_result()
    {
        using var folder = new TemporaryFolder();
        using var volume = new Volume<ushort>(9, 30, 28);
        var random = new Random(4);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)random.Next(0, 3000);
        }

        var input = CellVision.IO.Zarr.ZarrArray.Create<ushort>(folder["in.zarr"], [9, 30, 28], [4, 16, 16]);
        input.Write(volume);
        var (code, output, error) = CliRunner.Run("clahe", folder["in.zarr"], folder["out.zarr"], "--clip-limit", "0.03", "--kernel-size", "4");
        Assert.True(code == 0, error);
        Assert.Contains("streamed", output);
        Assert.False(Directory.Exists(folder["out.zarr.partial"]));

        using var expected = Clahe.EqualizeToUInt16(volume, new ClaheOptions { ClipLimit = 0.03, KernelSize = [4] });
        var written = CellVision.IO.Zarr.ZarrArray.Open(folder["out.zarr"]);
        Assert.Equal(expected.Span.ToArray(), written.Read<ushort>(written.Bounds));
    }

    [Fact]
    public void Bad_clip_limits_and_16_bit_input_to_the_incasem_variant_are_refused()
    {
        using var folder = new TemporaryFolder();
        using var volume = new Volume<ushort>(4, 16, 16);
        volume.Span.Fill(1000);
        TiffWriter.Write(folder["in.tif"], volume);

        var clip = CliRunner.Run("clahe", folder["in.tif"], folder["a.tif"], "--clip-limit", "2");
        Assert.Equal(2, clip.ExitCode);
        Assert.Contains("--clip-limit", clip.Error);

        var incasem = CliRunner.Run("clahe", folder["in.tif"], folder["b.tif"], "--variant", "incasem");
        Assert.Equal(2, incasem.ExitCode);
        Assert.Contains("8-bit", incasem.Error);
        Assert.False(File.Exists(folder["b.tif"]));

        var variant = CliRunner.Run("clahe", folder["in.tif"], folder["c.tif"], "--variant", "opencv");
        Assert.NotEqual(0, variant.ExitCode);
    }
}
