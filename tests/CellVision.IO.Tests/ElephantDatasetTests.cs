using CellVision.IO.Elephant;
using CellVision.IO.Zarr;

namespace CellVision.IO.Tests;

/// <summary>ELEPHANT's dataset layout, converted from the real BDV sample, matches zarr-python's view of the expected arrays.</summary>
[Collection(Hdf5CollectionDefinition.Name)]
public sealed class ElephantDatasetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-elephant-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void SampleConvertsWithElephantsShapesDtypesAndChunks()
    {
        var xml = SharedData.PathOf("elephant-sample-3dt", "sample.xml");
        var reports = new List<(int, int)>();
        var dataset = ElephantDataset.ConvertFromBdv(xml, folder, divisor: 2.5, progress: new Progress(reports.Add));
        Assert.False(dataset.IsUInt16);
        Assert.Equal([5L, 8, 256, 256], dataset.Shape);
        Assert.Equal((5, 5), reports[^1]);
        Assert.Null(ElephantDataset.Check(folder, [5, 8, 256, 256]));
        Assert.Contains("imgs.zarr has shape", ElephantDataset.Check(folder, [5, 8, 256, 255]));

        var script = """
            import sys, h5py, zarr, numpy as np
            root = sys.argv[1]
            out = []
            for name in ["imgs", "seg_labels", "seg_labels_vis", "seg_outputs", "flow_labels", "flow_outputs", "flow_hashes"]:
                a = zarr.open(f"{root}/{name}.zarr", mode="r")
                out.append(f"{name}:{a.shape}:{a.dtype}:{a.chunks}")
            with h5py.File(sys.argv[2], "r") as f:
                raw = np.stack([f[f"t{t:05d}/s00/0/cells"][...].view(np.uint16) for t in range(5)])
            expected = np.floor(raw / 2.5).astype(np.uint8)
            print(" ".join(out), bool((zarr.open(f"{root}/imgs.zarr", mode="r")[...] == expected).all()))
            """;
        var output = PythonReference.RunInline(script, folder, Path.Combine(Path.GetDirectoryName(xml)!, "sample.h5"));
        Assert.Equal(
            "imgs:(5, 8, 256, 256):uint8:(1, 1, 256, 256) seg_labels:(5, 8, 256, 256):uint8:(1, 1, 256, 256) " +
            "seg_labels_vis:(5, 8, 256, 256, 3):uint8:(1, 1, 256, 256, 1) seg_outputs:(5, 8, 256, 256, 3):float16:(1, 1, 256, 256, 1) " +
            "flow_labels:(4, 4, 8, 256, 256):float32:(1, 1, 1, 256, 256) flow_outputs:(4, 3, 8, 256, 256):float16:(1, 1, 1, 256, 256) " +
            "flow_hashes:(4,):|S16:(4,) True",
            output);
    }

    [Fact]
    public void OverflowIsClippedByDefaultAndWrapsOnRequest()
    {
        var xml = SharedData.PathOf("elephant-sample-3dt", "sample.xml");
        var clipped = ElephantDataset.ConvertFromBdv(xml, Path.Combine(folder, "clip"), isUInt16: false, divisor: 0.1, is2D: true);
        var wrapped = ElephantDataset.ConvertFromBdv(xml, Path.Combine(folder, "wrap"), isUInt16: false, divisor: 0.1, is2D: true, overflow: ElephantOverflow.Wrap);
        Assert.Equal([5L, 256, 256], clipped.Shape);
        var a = clipped.Images.Read<byte>(clipped.Images.Bounds);
        var b = wrapped.Images.Read<byte>(wrapped.Images.Bounds);
        Assert.Contains(a, v => v == 255);
        Assert.Contains(a.Zip(b), p => p.First != p.Second);
        Assert.Equal(3, ZarrArray.Open(Path.Combine(folder, "clip", "flow_labels.zarr")).Shape[1]);
    }

    [Fact]
    public void PaddedHdf5WithoutXmlConvertsAsTheXmlRoute()
    {
        // ELEPHANT's client uploads only the .h5, in 10 MiB chunks whose last one is padded past the end of the file.
        var xml = SharedData.PathOf("elephant-sample-3dt", "sample.xml");
        var padded = Path.Combine(folder, "sample.h5");
        var bytes = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(xml)!, "sample.h5"));
        File.WriteAllBytes(padded, [.. bytes, .. new byte[10 * 1024 * 1024 - bytes.Length]]);
        var reports = new List<(int, int)>();
        var fromHdf5 = ElephantDataset.ConvertFromBdvHdf5(padded, Path.Combine(folder, "h5"), progress: new Progress(reports.Add));
        var fromXml = ElephantDataset.ConvertFromBdv(xml, Path.Combine(folder, "xml"));
        Assert.Equal([5L, 8, 256, 256], fromHdf5.Shape);
        Assert.Equal((5, 5), reports[^1]);
        Assert.Equal(fromXml.Images.Read<byte>(fromXml.Images.Bounds), fromHdf5.Images.Read<byte>(fromHdf5.Images.Bounds));
        Assert.Null(ElephantDataset.Check(Path.Combine(folder, "h5"), [5, 8, 256, 256]));
    }

    [Fact]
    public void Hdf5WithoutBdvTimepointsIsRefused()
    {
        var path = Path.Combine(folder, "other.h5");
        using (var file = CellVision.IO.Hdf5.Hdf5File.Create(path))
        {
            file.CreateGroup("/x");
        }

        Assert.Throws<CellVision.IO.Bdv.BdvFormatException>(() => ElephantDataset.ConvertFromBdvHdf5(path, Path.Combine(folder, "none")));
        Assert.False(Directory.Exists(Path.Combine(folder, "none")));
    }

    private sealed class Progress(Action<(int, int)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
