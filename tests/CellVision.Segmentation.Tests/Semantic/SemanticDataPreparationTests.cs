using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// incasem's data preparation: TIFF sections (a numbered folder or a multi-page file) into funlib datasets with
/// resolution and offset in nm and zlib chunks, cropped and streamed; the layout's data-configuration entry written as
/// JSON, parsed back, and read by the loader as class ids and metric masks; and the refusals of bad input.
/// </summary>
public sealed class SemanticDataPreparationTests : IDisposable
{
    private const int Depth = 5;
    private const int Height = 12;
    private const int Width = 11;
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Numbered_sections_become_a_cropped_funlib_dataset_with_incasems_attributes_and_chunks()
    {
        var sections = WriteSections("raw", "slice_{0:D3}.tif", RawValue);
        File.WriteAllText(Path.Combine(sections, "notes.txt"), "not a section");
        File.WriteAllText(Path.Combine(sections, "overview.tif"), "no section number, ignored");
        using var stack = TiffSections.Open(sections);
        Assert.Equal(new long[] { Depth, Height, Width }, stack.Shape);

        var options = new SectionsToZarrOptions { Resolution = [40, 4, 4], Offset = [1, 2, 3], Shape = [3, 9, 7], Chunks = [2, 4, 128] };
        var array = SectionsToZarr.Write(stack, folder["c.zarr/volumes/raw"], options);

        var metadata = JsonNode.Parse(File.ReadAllText(folder["c.zarr/volumes/raw/.zarray"]))!;
        Assert.Equal("[3,9,7]", metadata["shape"]!.ToJsonString());
        Assert.Equal("[2,4,7]", metadata["chunks"]!.ToJsonString());
        Assert.Equal("|u1", metadata["dtype"]!.GetValue<string>());
        Assert.Equal("zlib", metadata["compressor"]!["id"]!.GetValue<string>());
        Assert.Equal(3, metadata["compressor"]!["level"]!.GetValue<int>());
        var attributes = JsonNode.Parse(File.ReadAllText(folder["c.zarr/volumes/raw/.zattrs"]))!;
        Assert.Equal("[40,4,4]", attributes["resolution"]!.ToJsonString());
        Assert.Equal("[40,8,12]", attributes["offset"]!.ToJsonString());

        var values = ZarrArray.Open(folder["c.zarr/volumes/raw"]).Read<byte>(array.Bounds);
        var i = 0;
        for (var z = 1; z < 4; z++)
        {
            for (var y = 2; y < 11; y++)
            {
                for (var x = 3; x < 10; x++)
                {
                    Assert.Equal(RawValue(z, y, x), values[i++]);
                }
            }
        }

        Assert.Equal(new[] { "raw" }, Directory.EnumerateFileSystemEntries(folder["c.zarr/volumes"]).Select(Path.GetFileName));
    }

    [Fact]
    public void Sections_are_stacked_by_their_number_and_a_multi_page_file_by_its_pages()
    {
        var sections = folder.Sub("numbered");
        for (var n = 1; n <= 11; n++)
        {
            TiffWriter.Write(Path.Combine(sections, $"em_{n}.tif"), [new ReadOnlyMemory<byte>([(byte)n, (byte)(n + 100)])], 2, 1);
        }

        using (var stack = TiffSections.Open(sections))
        {
            var bytes = new byte[2];
            var order = Enumerable.Range(0, stack.Depth).Select(z =>
            {
                stack.ReadSection(z, bytes);
                return (int)bytes[0];
            });
            Assert.Equal(Enumerable.Range(1, 11), order);
        }

        using var volume = new Volume<ushort>(3, 2, 2);
        for (var v = 0; v < volume.Length; v++)
        {
            volume.Span[v] = (ushort)(v * 20);
        }

        TiffWriter.Write(folder["stack.tif"], volume);
        using var pages = TiffSections.Open(folder["stack.tif"]);
        var labels = SectionsToZarr.Write(pages, folder["labels.zarr"], new SectionsToZarrOptions { DataType = new ZarrDataType(ZarrElementKind.UInt, 4) });
        Assert.Equal(volume.Span.ToArray().Select(v => (uint)v), labels.Read<uint>(labels.Bounds));
        Assert.Equal("[0,0,0]", labels.ReadAttributes()["offset"]!.ToJsonString());
        Assert.Equal("[5,5,5]", labels.ReadAttributes()["resolution"]!.ToJsonString());
    }

    [Fact]
    public void A_prepared_container_and_its_configuration_are_read_as_incasem_reads_them()
    {
        var container = folder["cell.zarr"];
        var options = new SectionsToZarrOptions { Resolution = [8, 4, 4], Offset = [1, 0, 0], Chunks = [4, 8, 8], Invert = true };
        using (var raw = TiffSections.Open(WriteSections("raw", "s_{0:D2}.tif", RawValue)))
        {
            SectionsToZarr.Write(raw, Path.Combine(container, SemanticContainerLayout.Raw), options);
        }

        ZarrArray labels;
        using (var mito = TiffSections.Open(WriteSections("mito", "mito_{0}.tif", MitoValue)))
        {
            labels = SectionsToZarr.Write(mito, Path.Combine(container, SemanticContainerLayout.Labels("mito")), options with { Invert = false, DataType = new ZarrDataType(ZarrElementKind.UInt, 4) });
        }

        var metric = ZarrArray.Create<byte>(Path.Combine(container, SemanticContainerLayout.MetricMask("mito")), [.. labels.Shape], labels.Metadata.Chunks, fillValue: 255);
        FunlibAttributes.Read(labels)!.WriteTo(metric);
        var widths = new MetricExclusionMaskOptions { InnerWidth = 1, OuterWidth = 1, BlockShape = (4, 8, 8) };
        MetricExclusionMask.ComputeChunked<uint>(labels, metric, widths);

        var entry = SemanticContainerLayout.Entry("cell", container, [1, 0, 0], [.. labels.Shape], [8, 4, 4], ["mito"], mask: false, metricMasks: true);
        var written = new SemanticDataConfiguration { Source = "prepared", Datasets = [entry] };
        written.Save(folder["cell.json"]);
        var configuration = SemanticDataConfiguration.Load(folder["cell.json"]);
        var dataset = Assert.Single(configuration.Datasets);
        Assert.Equal(("cell", container, SemanticContainerLayout.Raw), (dataset.Name, dataset.File, dataset.Raw));
        Assert.Equal(new long[] { 1, 0, 0 }, dataset.Offset.ToArray());
        Assert.Equal(new long[] { 4, Height, Width }, dataset.Shape.ToArray());
        Assert.Equal(new double[] { 8, 4, 4 }, dataset.VoxelSize.ToArray());
        Assert.Equal(new[] { new SemanticLabelDataset("volumes/labels/mito", 1) }, dataset.Labels.ToArray());
        Assert.Equal(new[] { "volumes/metric_masks/mito" }, dataset.MetricMasks.ToArray());
        Assert.Null(dataset.Mask);
        Assert.Equal(written.ToJson(), configuration.ToJson());

        SemanticDataLoader.Check(configuration, Open);
        using var volumes = SemanticDataLoader.Load(configuration, dataset, Open);
        using var whole = new Volume<uint>(4, Height, Width);
        var i = 0;
        for (var z = 1; z < Depth; z++)
        {
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++, i++)
                {
                    Assert.Equal(255 - RawValue(z, y, x), volumes.Raw.Span[i]);
                    Assert.Equal(MitoValue(z, y, x) > 0 ? 1 : 0, volumes.Labels.Span[i]);
                    whole.Span[i] = MitoValue(z, y, x);
                }
            }
        }

        using var expected = MetricExclusionMask.Compute(whole, widths);
        Assert.Equal(expected.Span.ToArray().Select(v => v > 0 ? (byte)1 : (byte)0), volumes.MetricMask.Span.ToArray());
        Assert.Contains((byte)0, volumes.MetricMask.Span.ToArray());
        Assert.Contains((byte)1, volumes.MetricMask.Span.ToArray());
    }

    [Fact]
    public void Bad_sections_are_refused_with_the_reason()
    {
        var gap = folder.Sub("gap");
        foreach (var n in new[] { 0, 1, 3 })
        {
            TiffWriter.Write(Path.Combine(gap, $"section_{n:D4}.tif"), [new ReadOnlyMemory<byte>(new byte[4])], 2, 2);
        }

        Assert.Contains("sections 2–2 are missing", Assert.Throws<InvalidDataException>(() => TiffSections.Open(gap)).Message, StringComparison.Ordinal);
        Assert.Contains("no section files", Assert.Throws<InvalidDataException>(() => TiffSections.Open(folder.Sub("empty"))).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => TiffSections.Open(folder["missing.tif"]));

        var sizes = folder.Sub("sizes");
        TiffWriter.Write(Path.Combine(sizes, "a_0.tif"), [new ReadOnlyMemory<byte>(new byte[4])], 2, 2);
        TiffWriter.Write(Path.Combine(sizes, "a_1.tif"), [new ReadOnlyMemory<byte>(new byte[6])], 3, 2);
        Assert.Contains("unlike the first section", Assert.Throws<TiffFormatException>(() => TiffSections.Open(sizes)).Message, StringComparison.Ordinal);

        TiffWriter.Write(folder["wide.tif"], [new ReadOnlyMemory<ushort>([1, 300])], 2, 1);
        using var wide = TiffSections.Open(folder["wide.tif"]);
        Assert.Contains("value 300", Assert.Throws<InvalidDataException>(() => SectionsToZarr.Write(wide, folder["wide.zarr"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SectionsToZarr.Write(wide, folder["crop.zarr"], new SectionsToZarrOptions { Offset = [0, 0, 1], Shape = [1, 1, 2] }));
        Directory.CreateDirectory(folder["exists.zarr"]);
        Assert.Throws<IOException>(() => SectionsToZarr.Write(wide, folder["exists.zarr"]));
        Assert.False(Directory.Exists(folder["crop.zarr"]));
    }

    private static byte RawValue(int z, int y, int x) => (byte)((z * 37) + (y * 11) + (x * 3));

    private static uint MitoValue(int z, int y, int x) => (y - 6) * (y - 6) + (x - 5) * (x - 5) + (z - 2) * (z - 2) <= 9 ? 255u : 0u;

    private static SemanticSourceArray Open(string container, string path)
    {
        var array = ZarrArray.Open(Path.Combine(container, path));
        var attributes = FunlibAttributes.Read(array);
        return new SemanticSourceArray(array, attributes?.Resolution, attributes?.Offset);
    }

    /// <summary>One single-page TIFF per section, named by <paramref name="pattern"/> with the section number.</summary>
    private string WriteSections<T>(string name, string pattern, Func<int, int, int, T> value)
        where T : unmanaged
    {
        var sections = folder.Sub(name);
        for (var z = 0; z < Depth; z++)
        {
            var plane = new T[Height * Width];
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    plane[(y * Width) + x] = value(z, y, x);
                }
            }

            TiffWriter.Write(Path.Combine(sections, string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, z)), [new ReadOnlyMemory<T>(plane)], Width, Height);
        }

        return sections;
    }
}
