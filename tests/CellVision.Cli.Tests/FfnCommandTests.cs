using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

/// <summary><c>cellvision ffn partitions|coordinates</c> write what the library computes, on a FIB-25 ground-truth crop.</summary>
public sealed class FfnCommandTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static Volume<ushort> Crop()
    {
        using var tiff = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "gt_bodies_zyx_uint16.tif"));
        using var bodies = tiff.ReadStack<ushort>();
        return bodies.Crop(Box.FromZyx(100, 90, 80, 36, 40, 44));
    }

    [Fact]
    public void Partitions_to_zarr_and_tiff_and_coordinates_from_both_equal_the_library()
    {
        using var labels = Crop();
        TiffWriter.Write(folder["labels.tif"], labels);
        var options = new FloodFillPartitionOptions { Thresholds = [0.1, 0.3, 0.6], LomRadius = (4, 5, 6), MinimumSize = 300 };
        using var expected = FloodFillPartitions.Compute(labels, options);

        var (code, output, error) = CliRunner.Run("ffn", "partitions", "--labels", folder["labels.tif"], "--out", folder["p.zarr"], "--thresholds", "0.1,0.3,0.6", "--lom-radius", "4,5,6", "--min-size", "300");
        Assert.True(code == 0, error);
        Assert.Contains("written to", output);
        var zarr = ZarrArray.Open(folder["p.zarr"]);
        Assert.Equal([36L, 40, 44], zarr.Metadata.Chunks);
        Assert.Equal(expected.Volume.Span.ToArray(), zarr.Read<byte>(zarr.Bounds));
        Assert.Equal(expected.Counts, zarr.ReadAttributes()["partition_counts"]!.AsArray().Select(c => c!.GetValue<long>()));
        Assert.Empty(Directory.GetDirectories(folder.Path, "*.partial"));

        // 32-bit labels in a Zarr array are read as they are.
        var wide = ZarrArray.Create<uint>(folder["labels32.zarr"], [36, 40, 44], [16, 16, 16]);
        wide.Write<uint>(wide.Bounds, labels.Span.ToArray().Select(v => v + 100_000u).ToArray());
        (code, _, error) = CliRunner.Run("ffn", "partitions", "--labels", folder["labels32.zarr"], "--out", folder["p.tif"], "--thresholds", "0.1,0.3,0.6", "--lom-radius", "4,5,6", "--min-size", "300");
        Assert.True(code == 0, error);
        using (var tiff = TiffFile.Open(folder["p.tif"]))
        using (var written = tiff.ReadStack<byte>())
        {
            Assert.Equal(expected.Volume.Span.ToArray(), written.Span.ToArray());
        }

        (code, output, error) = CliRunner.Run("ffn", "coordinates", "--partitions", $"{folder["p.zarr"]},{folder["p.tif"]}", "--out", folder["c.bin"], "--margin", "5,6,7", "--seed", "11");
        Assert.True(code == 0, error);
        Assert.Contains("centres", output);
        var read = FloodFillCoordinateFile.Read(folder["c.bin"]);
        var library = FloodFillCoordinates.Build([expected.Volume, expected.Volume], [folder["p.zarr"], folder["p.tif"]], new FloodFillCoordinateOptions { Margin = (5, 6, 7), Seed = 11 });
        Assert.Equal(library.Coordinates, read.Coordinates);
        Assert.Equal(library.Volumes, read.Volumes);
        Assert.Equal(library.PartitionCounts.OrderBy(p => p.Key), read.PartitionCounts.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_mask_excludes_what_the_library_excludes()
    {
        using var labels = Crop();
        TiffWriter.Write(folder["labels.tif"], labels);
        using var maskBytes = new Volume<byte>(36, 40, 44);
        maskBytes[18, 20, 22] = 1;
        TiffWriter.Write(folder["mask.tif"], maskBytes);
        using var mask = new Volume<bool>(36, 40, 44);
        mask[18, 20, 22] = true;
        var options = new FloodFillPartitionOptions { LomRadius = (3, 3, 3), MinimumSize = 500 };
        using var expected = FloodFillPartitions.Compute(labels, options, mask);
        Assert.Equal(7 * 7 * 7, expected.ExcludedCount);

        var (code, output, error) = CliRunner.Run("ffn", "partitions", "--labels", folder["labels.tif"], "--out", folder["p.tif"], "--lom-radius", "3,3,3", "--min-size", "500", "--mask", folder["mask.tif"]);
        Assert.True(code == 0, error);
        Assert.Contains("excluded by the mask: 343", output);
        using var tiff = TiffFile.Open(folder["p.tif"]);
        using var written = tiff.ReadStack<byte>();
        Assert.Equal(expected.Volume.Span.ToArray(), written.Span.ToArray());
    }

    [Fact]
    public void Bad_input_fails_with_one_clear_line()
    {
        using var labels = new Volume<ushort>(10, 10, 10);
        TiffWriter.Write(folder["labels.tif"], labels);
        File.WriteAllText(folder["taken.zarr"], "");

        AssertFails(["ffn", "partitions", "--labels", folder["labels.tif"], "--out", folder["taken.zarr"]], "already exists");
        AssertFails(["ffn", "partitions", "--labels", folder["labels.tif"], "--out", folder["p.zarr"], "--thresholds", "0.5,x"], "--thresholds");
        AssertFails(["ffn", "partitions", "--labels", folder["labels.tif"], "--out", folder["p.zarr"], "--thresholds", "0.5,0.2"], "exceed the one before");
        AssertFails(["ffn", "partitions", "--labels", folder["missing.tif"], "--out", folder["p.zarr"]], "does not exist");
        AssertFails(["ffn", "coordinates", "--partitions", folder["labels.tif"], "--out", folder["c.bin"]], "No voxel inside the margins");
        Assert.False(File.Exists(folder["c.bin"]));
        Assert.False(Directory.Exists(folder["p.zarr"]));
    }

    private static void AssertFails(string[] args, string message)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
