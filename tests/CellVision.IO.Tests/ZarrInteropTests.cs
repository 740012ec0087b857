using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Tests;

/// <summary>
/// Every dtype × order × compressor combination moves both ways between CellVision and zarr-python 2.13
/// (Interop/zarr_interop.py), with identical values.
/// </summary>
public sealed class ZarrInteropTests : IDisposable
{
    private static readonly Dictionary<string, ZarrCompressor?> Compressors = new()
    {
        ["none"] = null,
        ["zlib"] = new ZlibCompressor(1),
        ["gzip"] = new GzipCompressor(5),
        ["zstd"] = new ZstdCompressor(3),
        ["blosc-lz4-shuffle"] = new BloscCompressor("lz4", 5, BloscShuffle.Byte),
        ["blosc-lz4hc-noshuffle"] = new BloscCompressor("lz4hc", 9, BloscShuffle.None),
        ["blosc-zstd-bitshuffle"] = new BloscCompressor("zstd", 3, BloscShuffle.Bit),
        ["blosc-zlib-shuffle"] = new BloscCompressor("zlib", 4, BloscShuffle.Byte),
        ["blosc-blosclz-shuffle"] = new BloscCompressor("blosclz", 5, BloscShuffle.Byte),
    };

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-zarr-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ArraysWrittenByZarrPythonReadIdentically()
    {
        var source = Path.Combine(folder, "python");
        PythonReference.Run("Interop/zarr_interop.py", "write", source);
        var failures = new List<string>();
        foreach (var testCase in Manifest(source))
        {
            var name = testCase["name"]!.GetValue<string>();
            var array = ZarrArray.Open(Path.Combine(source, name));
            var expected = File.ReadAllBytes(Path.Combine(source, name + ".bin"));
            var actual = new byte[expected.Length];
            array.ReadBytes(array.Bounds, actual);
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                failures.Add(name);
            }
        }

        Assert.True(failures.Count == 0, $"Read differently from zarr-python: {string.Join(", ", failures)}");
        Assert.True(Manifest(source).Count() > 380);
    }

    [Fact]
    public void ArraysWrittenHereReadIdenticallyInZarrPython()
    {
        var source = Path.Combine(folder, "python");
        var target = Path.Combine(folder, "cellvision");
        PythonReference.Run("Interop/zarr_interop.py", "write", source);
        Directory.CreateDirectory(target);
        foreach (var testCase in Manifest(source))
        {
            var name = testCase["name"]!.GetValue<string>();
            var dtypeText = testCase["dtype"]!.GetValue<string>();
            Assert.True(ZarrDataType.TryParseTypeString(dtypeText, out var dataType));
            var shape = testCase["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
            var chunks = testCase["chunks"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
            var array = ZarrArray.Create(Path.Combine(target, name), new ZarrArrayMetadata
            {
                Shape = shape,
                Chunks = chunks,
                DataType = dataType,
                Compressor = Compressors[testCase["compressor"]!.GetValue<string>()],
                FillValue = testCase["fill_value"]!.DeepClone(),
                Order = testCase["order"]!.GetValue<string>() == "F" ? ZarrOrder.F : ZarrOrder.C,
                DimensionSeparator = testCase["separator"]!.GetValue<string>()[0],
            });
            var data = File.ReadAllBytes(Path.Combine(source, name + ".bin"));
            var region = array.Bounds;
            if (testCase["partial"] is not null)
            {
                var size = region.Size.ToArray();
                size[0] /= 2;
                region = new Box(new long[shape.Length], size);
                data = data[..(int)(region.ElementCount * dataType.Size)];
            }

            array.WriteBytes(region, data);
            File.Copy(Path.Combine(source, name + ".bin"), Path.Combine(target, name + ".bin"));
        }

        File.Copy(Path.Combine(source, "manifest.json"), Path.Combine(target, "manifest.json"));
        var report = PythonReference.Run("Interop/zarr_interop.py", "verify", target);
        Assert.Contains(", 0 mismatches", report);
    }

    [Fact]
    public void RegionReadsAndWritesCrossChunkBordersAndLeaveOtherVoxelsAlone()
    {
        var path = Path.Combine(folder, "regions");
        var array = ZarrArray.Create<ushort>(path, [6, 10, 12], [4, 4, 5], new ZstdCompressor(), fillValue: 3);
        var full = Enumerable.Range(0, 6 * 10 * 12).Select(i => (ushort)i).ToArray();
        array.Write(array.Bounds, full.AsSpan());

        var region = Box.FromZyx(1, 3, 4, 4, 5, 7);
        var patch = Enumerable.Repeat((ushort)60000, (int)region.ElementCount).ToArray();
        array.Write(region, patch.AsSpan());

        var reopened = ZarrArray.Open(path);
        var all = reopened.Read<ushort>(reopened.Bounds);
        for (var z = 0; z < 6; z++)
        for (var y = 0; y < 10; y++)
        for (var x = 0; x < 12; x++)
        {
            var inside = z is >= 1 and < 5 && y is >= 3 and < 8 && x is >= 4 and < 11;
            var i = (((z * 10) + y) * 12) + x;
            Assert.Equal(inside ? 60000 : full[i], all[i]);
        }

        using var volume = reopened.ReadVolume<ushort>(Box.FromZyx(0, 2, 3, 2, 2, 2));
        Assert.Equal(full[(0 * 120) + (2 * 12) + 3], volume[0, 0, 0]);
        Assert.Equal(60000, volume[1, 1, 1]);
    }

    [Fact]
    public void ParallelWritersOfDifferentChunksLoseNothing()
    {
        var array = ZarrArray.Create<int>(Path.Combine(folder, "parallel"), [8, 64, 64], [1, 64, 64], new BloscCompressor());
        Parallel.For(0, 8, z =>
        {
            var plane = Enumerable.Repeat(z + 1, 64 * 64).ToArray();
            array.Write(Box.FromZyx(z, 0, 0, 1, 64, 64), plane.AsSpan());
        });

        var values = array.Read<int>(array.Bounds);
        for (var z = 0; z < 8; z++)
        {
            Assert.All(values.AsSpan(z * 4096, 4096).ToArray(), v => Assert.Equal(z + 1, v));
        }
    }

    [Fact]
    public void ProgressReachesOneAndCancellationStopsTheRead()
    {
        var array = ZarrArray.Create<byte>(Path.Combine(folder, "progress"), [4, 8, 8], [1, 4, 4], new ZlibCompressor());
        var reports = new List<double>();
        array.MaxDegreeOfParallelism = 1;
        array.Read<byte>(array.Bounds, new SynchronousProgress(reports.Add));
        Assert.Equal(16, reports.Count);
        Assert.Equal(1.0, reports[^1]);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => array.Read<byte>(array.Bounds, cancellationToken: cancelled.Token));
    }

    private static IEnumerable<JsonObject> Manifest(string directory) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")))!.AsArray().Select(n => n!.AsObject());

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
