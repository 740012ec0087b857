using System.Globalization;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;
using CellVision.IO.Hdf5;

namespace CellVision.IO.Tests;

/// <summary>BigDataViewer XML + HDF5: the real ELEPHANT sample (scale-offset + deflate) reads as h5py reads it, and written datasets open in h5py.</summary>
[Collection(Hdf5CollectionDefinition.Name)]
public sealed class BdvTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-bdv-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void RealElephantSampleReadsAsH5pyReadsIt()
    {
        var xml = SharedData.PathOf("elephant-sample-3dt", "sample.xml");
        using var image = BdvImage.Open(xml);
        Assert.Equal([0, 1, 2, 3, 4], image.Xml.Timepoints);
        var setup = Assert.Single(image.Xml.ViewSetups);
        Assert.Equal([256L, 256, 8], setup.Size);
        Assert.Equal(2.1605444611492426, setup.VoxelSize[2]);
        Assert.Equal("uint16", image.DataType(0));
        Assert.Equal([1.0, 1, 1], image.Resolutions(0)[0]);
        Assert.Equal([8L, 256, 256], image.Shape(2, 0));

        using var volume = image.ReadVolume(2, 0);
        using var region = image.ReadVolume(2, 0, region: Box.FromZyx(3, 100, 50, 2, 40, 30));
        Assert.Equal(volume[4, 139, 79], region[1, 39, 29]);
        Assert.Equal(0.2767553206210389, volume.VoxelSize.X);

        var script = """
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "r") as f:
                a = f["t00002/s00/0/cells"][...].astype(np.int64)
            print(a.sum(), (a * (np.arange(a.size).reshape(a.shape) % 1009)).sum(), a.max())
            """;
        var expected = PythonReference.RunInline(script, image.Xml.Hdf5FullPath).Split(' ').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var values = volume.Span.ToArray();
        Assert.Equal(expected[0], values.Sum(v => (long)v));
        Assert.Equal(expected[1], values.Select((v, i) => v * (long)(i % 1009)).Sum());
        Assert.Equal(expected[2], values.Max(v => (long)v));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrittenDatasetsOpenInH5pyAndReadBackHere(bool partitioned)
    {
        var volumes = Enumerable.Range(0, 2).Select(t =>
        {
            var volume = new Volume<ushort>(6, 130, 140, new VoxelSize(0.5, 0.5, 2));
            for (var i = 0; i < volume.Length; i++)
            {
                volume.Span[i] = (ushort)((i * 7919) + (t * 40000));
            }

            return volume;
        }).ToList();
        var xmlPath = Path.Combine(folder, "data.xml");
        BdvWriter.Write(xmlPath, volumes, new BdvWriteOptions { Partitioned = partitioned });
        Assert.Equal(partitioned ? 3 : 1, Directory.GetFiles(folder, "*.h5").Length);
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));

        using (var image = BdvImage.Open(xmlPath))
        {
            Assert.Equal(2, image.Resolutions(0).Count);
            Assert.Equal([2.0, 2, 1], image.Resolutions(0)[1]);
            using var t1 = image.ReadVolume(1, 0);
            Assert.True(t1.Span.SequenceEqual(volumes[1].Span));
            Assert.Equal([6L, 65, 70], image.Shape(1, 0, 1));
        }

        Assert.Equal(0, Hdf5File.OpenObjectCount);
        var script = """
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "r") as f:
                cells = f["t00001/s00/0/cells"]
                a = cells[...].view(np.uint16).astype(np.int64)
                print(cells.dtype, cells.chunks, f["s00/resolutions"][...].tolist(), f["s00/subdivisions"][...].tolist(), a.sum(), f["t00001/s00/1/cells"].shape)
            """;
        var output = PythonReference.RunInline(script, Path.Combine(folder, "data.h5"));
        Assert.StartsWith("int16 (4, 32, 32) [[1.0, 1.0, 1.0], [2.0, 2.0, 1.0]] [[32, 32, 4], [32, 32, 4]] ", output);
        Assert.EndsWith($" {volumes[1].Span.ToArray().Sum(v => (long)v)} (6, 65, 70)", output);
        volumes.ForEach(v => v.Dispose());
    }

    [Fact]
    public void XmlRoundTripsThroughSave()
    {
        var source = BdvXml.Load(SharedData.PathOf("elephant-sample-3dt", "sample.xml"));
        var copy = Path.Combine(folder, "copy.xml");
        new BdvXml
        {
            BaseFolder = source.BaseFolder,
            Hdf5File = source.Hdf5FullPath,
            ViewSetups = source.ViewSetups,
            AttributeEntities = source.AttributeEntities,
            Timepoints = source.Timepoints,
            ViewRegistrations = source.ViewRegistrations,
        }.Save(copy);
        var reloaded = BdvXml.Load(copy);
        Assert.Equal(source.Hdf5FullPath, reloaded.Hdf5FullPath);
        Assert.Equal(source.Timepoints, reloaded.Timepoints);
        Assert.Equal(source.ViewRegistrations.Select(r => r.Affines[0]), reloaded.ViewRegistrations.Select(r => r.Affines[0]));
        Assert.Contains("<first>0</first>", File.ReadAllText(copy));
        Assert.Contains("2.1605444611492426", File.ReadAllText(copy));
    }

    [Fact]
    public void XmlWithDtdOrExternalEntityIsRefused()
    {
        var path = Path.Combine(folder, "evil.xml");
        File.WriteAllText(path, """
            <?xml version="1.0"?>
            <!DOCTYPE SpimData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <SpimData version="0.2"><BasePath type="relative">&secret;</BasePath></SpimData>
            """);
        var exception = Assert.Throws<BdvFormatException>(() => BdvXml.Load(path));
        Assert.Equal(path, exception.Path);
        Assert.Contains("DTD", exception.Message);
    }

    [Fact]
    public void MissingElementsAndFilesAreNamed()
    {
        var path = Path.Combine(folder, "partial.xml");
        File.WriteAllText(path, """<SpimData version="0.2"><SequenceDescription><ImageLoader format="bdv.hdf5"><hdf5 type="relative">x.h5</hdf5></ImageLoader><ViewSetups/><Timepoints type="range"><first>0</first><last>0</last></Timepoints></SequenceDescription></SpimData>""");
        Assert.Equal("ViewRegistrations", Assert.Throws<BdvFormatException>(() => BdvXml.Load(path)).Element);
        File.WriteAllText(path, """<SpimData version="0.2"><SequenceDescription><ImageLoader format="bdv.hdf5"><hdf5 type="relative">absent.h5</hdf5></ImageLoader><ViewSetups/><Timepoints type="range"><first>0</first><last>0</last></Timepoints></SequenceDescription><ViewRegistrations/></SpimData>""");
        Assert.Throws<FileNotFoundException>(() => BdvImage.Open(path));
        var notHdf5 = Path.Combine(folder, "fake.h5");
        File.WriteAllText(notHdf5, "not hdf5");
        Assert.Throws<Hdf5Exception>(() => Hdf5File.Open(notHdf5));
    }
}
