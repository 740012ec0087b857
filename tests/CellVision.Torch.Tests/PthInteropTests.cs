using System.IO.Compression;
using System.Text;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;
using CellVision.Torch.Tests.Support;

namespace CellVision.Torch.Tests;

/// <summary>.pth files move both ways between CellVision and Python's torch, and bad files fail with clear errors.</summary>
public sealed class PthInteropTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-pth-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void PythonStateDictWithMetadataLoadsIntoTheSameModel()
    {
        using var weights = PthFile.LoadStateDict(Golden.PathOf("sequential_state.pth"));
        using var model = new Sequential(new Conv3d(1, 2, 3), new ReLU(), new BatchNorm3d(2), new Conv3d(2, 1, 1, bias: false));
        var result = model.LoadStateDict(weights);
        Assert.True(result.IsExactMatch);
        using var state = model.StateDict();
        foreach (var (key, tensor) in weights)
        {
            TensorAssert.Equal(tensor, state[key], key);
        }

        Assert.Equal(ScalarType.Int64, state["2.num_batches_tracked"].ScalarType);
    }

    [Fact]
    public void PythonListOfStateDictsLoadsWithEveryDtypeAndStridedViews()
    {
        var dicts = PthFile.LoadStateDictList(Golden.PathOf("state_dict_list.pth"));
        try
        {
            Assert.Equal(2, dicts.Count);
            Assert.Equal(["weight", "bias"], dicts[0].Keys);
            var mixed = dicts[1];
            Assert.Equal([1.0, 2.0, 4.0, 5.0], mixed["w"].ToArray<double>());
            Assert.Equal([2L, 2L], mixed["w"].Shape);
            Assert.Equal([(Half)1.5, (Half)(-2.0)], mixed["h"].ToArray<Half>());
            Assert.Equal([1.0f, 3.0f], mixed["b"].ToArray<BFloat16>().Select(v => (float)v));
            Assert.Equal([7, -9], mixed["i"].ToArray<int>());
            Assert.Equal([true, false], mixed["m"].ToArray<bool>());
        }
        finally
        {
            foreach (var dict in dicts)
            {
                dict.Dispose();
            }
        }
    }

    [Fact]
    public void FilesSavedHereLoadInPythonWithEqualValues()
    {
        TorchRuntime.ManualSeed(1);
        using var model = new Sequential(new Conv3d(1, 2, 3), new ReLU(), new BatchNorm3d(2));
        var path = Path.Combine(folder, "model.pth");
        using (var state = model.StateDict())
        {
            PthFile.Save(path, state);
        }

        using var half = Tensor.FromSpan<double>([0.5, -1, 2], [3]).To(ScalarType.Float16);
        using var longs = Tensor.FromSpan<long>([1, long.MaxValue], [2]);
        var listPath = Path.Combine(folder, "list.pth");
        PthFile.Save(listPath, new List<object?> { new OrderedDictionary<string, object?> { ["h"] = half, ["n"] = longs, ["s"] = "text", ["f"] = 2.5, ["k"] = 7L, ["t"] = true, ["z"] = null }, "tail" });

        var script = """
            import sys, torch
            sd = torch.load(sys.argv[1])
            print(",".join(sd.keys()))
            print(repr(float(sd["0.weight"].double().sum())))
            print(tuple(sd["0.weight"].shape), sd["2.num_batches_tracked"].dtype)
            m = torch.nn.Sequential(torch.nn.Conv3d(1, 2, 3), torch.nn.ReLU(), torch.nn.BatchNorm3d(2))
            m.load_state_dict(sd)
            obj = torch.load(sys.argv[2])
            d = obj[0]
            print(d["h"].dtype, d["h"].tolist(), d["n"].tolist(), d["s"], d["f"], d["k"], d["t"], d["z"], obj[1])
            """;
        var lines = PythonReference.RunInline(script, path, listPath).Split('\n');
        Assert.Equal("0.weight,0.bias,2.weight,2.bias,2.running_mean,2.running_var,2.num_batches_tracked", lines[0]);
        Assert.Equal(model.Parameters().First().To(ScalarType.Float64).Sum().ToScalar(), double.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal("(2, 1, 3, 3, 3) torch.int64", lines[2]);
        Assert.Equal($"torch.float16 [0.5, -1.0, 2.0] [1, {long.MaxValue}] text 2.5 7 True None tail", lines[3]);
    }

    [Fact]
    public void NumpyScalarsInAPythonFileLoadAsNumbers()
    {
        // cell-tracker-gnn's all_params.pth stores pandas minima and maxima: NumPy scalars, pickled as dtype + raw bytes.
        var path = Path.Combine(folder, "numpy.pth");
        var script = """
            import sys, torch, numpy as np
            torch.save({"f8": [np.float64(-2.5), np.float32(0.25)], "i": {"row": np.int64(-7), "u": np.uint16(65535), "b": np.int8(-3)},
                        "big": np.dtype(">f8").type(1.5), "flag": np.bool_(True)}, sys.argv[1])
            """;
        PythonReference.RunInline(script, path);
        var loaded = (IReadOnlyDictionary<string, object?>)PthFile.Load(path)!;
        Assert.Equal([-2.5, 0.25], (IEnumerable<object?>)loaded["f8"]!);
        var ints = (IReadOnlyDictionary<string, object?>)loaded["i"]!;
        Assert.Equal((-7L, 65535L, -3L), ((long)ints["row"]!, (long)ints["u"]!, (long)ints["b"]!));
        Assert.Equal(1.5, loaded["big"]);
        Assert.Equal(true, loaded["flag"]);
    }

    [Fact]
    public void SavingAndLoadingHereRoundTripsNonContiguousTensors()
    {
        using var scope = DisposeScope.Enter();
        var source = Tensor.Arange(0, 24, type: ScalarType.Float32).Reshape(2, 3, 4).Permute(2, 0, 1);
        var path = Path.Combine(folder, "view.pth");
        var dict = new StateDict();
        dict.Add("x", source.Alias());
        PthFile.Save(path, dict);
        dict.Dispose();
        using var loaded = PthFile.LoadStateDict(path);
        TensorAssert.Equal(source.Contiguous(), loaded["x"]);
    }

    [Fact]
    public void PickleWithArbitraryGlobalIsRefused()
    {
        // The classic attack: a pickle whose REDUCE calls os.system.
        var pickle = Encoding.Latin1.GetBytes("\u0080\u0002cos\nsystem\nX\u0004\u0000\u0000\u0000echo\u0085R.");
        var path = WriteZip("evil.pth", ("archive/data.pkl", pickle), ("archive/version", "3\n"u8.ToArray()));
        var exception = Assert.Throws<PthFormatException>(() => PthFile.Load(path));
        Assert.Contains("os.system", exception.Message);
        Assert.Contains("evil.pth", exception.Message);
    }

    [Fact]
    public void TruncatedFileGivesFormatErrorNamingTheFile()
    {
        var bytes = File.ReadAllBytes(Golden.PathOf("sequential_state.pth"));
        var path = Path.Combine(folder, "truncated.pth");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var exception = Assert.Throws<PthFormatException>(() => PthFile.Load(path));
        Assert.Contains("truncated.pth", exception.Message);
    }

    [Fact]
    public void StorageOfWrongSizeIsRefused()
    {
        var path = Path.Combine(folder, "short.pth");
        using (var tensor = Tensor.Ones([4]))
        {
            PthFile.Save(path, new OrderedDictionary<string, object?> { ["x"] = tensor });
        }

        var entries = ReadZip(path);
        entries["short/data/0"] = entries["short/data/0"][..8];
        var broken = WriteZip("broken.pth", entries.Select(e => (e.Key, e.Value)).ToArray());
        var exception = Assert.Throws<PthFormatException>(() => PthFile.Load(broken));
        Assert.Contains("storage '0'", exception.Message);
    }

    [Fact]
    public void NonZipAndMissingFilesGiveSpecificErrors()
    {
        var path = Path.Combine(folder, "text.pth");
        File.WriteAllText(path, "not a model");
        Assert.Contains("not a PyTorch .pth file", Assert.Throws<PthFormatException>(() => PthFile.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => PthFile.Load(Path.Combine(folder, "absent.pth")));
    }

    [Fact]
    public void FailedSaveLeavesNoFileBehind()
    {
        var path = Path.Combine(folder, "bad.pth");
        Assert.Throws<ArgumentException>(() => PthFile.Save(path, new OrderedDictionary<string, object?> { ["x"] = new object() }));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void LoadStateDictReportsMissingUnexpectedAndShapeMismatches()
    {
        using var model = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
        using var scope = DisposeScope.Enter();
        var partial = new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Zeros([2, 3]), ["extra"] = Tensor.Zeros([1]) };
        var strict = Assert.Throws<StateDictMismatchException>(() => model.LoadStateDict(partial));
        Assert.Equal(["0.bias", "2.weight", "2.bias"], strict.MissingKeys);
        Assert.Equal(["extra"], strict.UnexpectedKeys);

        var result = model.LoadStateDict(partial, strict: false);
        Assert.Equal(["0.bias", "2.weight", "2.bias"], result.MissingKeys);
        Assert.Equal(0.0, model.Parameters().First().Abs().Sum().ToScalar());

        var wrongShape = new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Zeros([3, 3]) };
        var shape = Assert.Throws<StateDictMismatchException>(() => model.LoadStateDict(wrongShape, strict: false));
        Assert.Contains("0.weight: module [2, 3] vs state dict [3, 3]", shape.Message);
    }

    private string WriteZip(string name, params (string Name, byte[] Data)[] entries)
    {
        var path = Path.Combine(folder, name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, data) in entries)
        {
            using var stream = archive.CreateEntry(entryName, CompressionLevel.NoCompression).Open();
            stream.Write(data);
        }

        return path;
    }

    private static Dictionary<string, byte[]> ReadZip(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        });
    }
}
