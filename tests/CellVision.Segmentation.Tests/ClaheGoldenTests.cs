using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.Segmentation;

namespace CellVision.Segmentation.Tests;

/// <summary>CLAHE output equals scikit-image 0.19.3's <c>equalize_adapthist</c> to the last bit (Golden/clahe_golden.py).</summary>
public sealed class ClaheGoldenTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-clahe-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void EveryCaseMatchesScikitImageExactly()
    {
        RunPython(Path.Combine(AppContext.BaseDirectory, "Golden", "clahe_golden.py"), folder, Path.GetDirectoryName(SharedData.PathOf("fib25-medulla-ts2"))!);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray();
        var failures = new List<string>();
        foreach (var entry in manifest)
        {
            var name = entry!["name"]!.GetValue<string>();
            var shape = entry["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
            var options = new ClaheOptions
            {
                KernelSize = entry["kernel"] is JsonArray kernel ? kernel.Select(v => v!.GetValue<int>()).ToArray() : null,
                ClipLimit = entry["clip_limit"]!.GetValue<double>(),
                LuminanceLevels = entry["nbins"]!.GetValue<int>(),
            };
            var input = File.ReadAllBytes(Path.Combine(folder, name + ".in"));
            var expected = File.ReadAllBytes(Path.Combine(folder, name + ".out"));
            byte[] actual = entry["dtype"]!.GetValue<string>() switch
            {
                "uint8" => MemoryMarshal.AsBytes<double>(Clahe.Equalize((ReadOnlySpan<byte>)input, shape, options)).ToArray(),
                "uint16" => MemoryMarshal.AsBytes<double>(Clahe.Equalize(MemoryMarshal.Cast<byte, ushort>(input), shape, options)).ToArray(),
                _ => MemoryMarshal.AsBytes<float>(Clahe.Equalize(MemoryMarshal.Cast<byte, float>(input), shape, options)).ToArray(),
            };
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                var size = entry["out_dtype"]!.GetValue<string>() == "float32" ? 4 : 8;
                var differing = Enumerable.Range(0, expected.Length / size).Count(i => !actual.AsSpan(i * size, size).SequenceEqual(expected.AsSpan(i * size, size)));
                failures.Add($"{name}: {differing} of {expected.Length / size} voxels differ");
            }

            if (entry["dtype"]!.GetValue<string>() is "uint8" or "uint16")
            {
                var streamed = StreamThroughZarr(name, input, shape, entry["dtype"]!.GetValue<string>() == "uint8", options);
                if (!streamed.AsSpan().SequenceEqual(expected))
                {
                    var differing = Enumerable.Range(0, expected.Length / 8).Count(i => !streamed.AsSpan(i * 8, 8).SequenceEqual(expected.AsSpan(i * 8, 8)));
                    failures.Add($"{name} streamed through Zarr: {differing} of {expected.Length / 8} voxels differ");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(11, manifest.Count);
    }

    /// <summary>
    /// Writes the case's input to a Zarr array in uneven chunks and equalises it into a float64 array one plane per
    /// block (the smallest working memory), returning the output's bytes.
    /// </summary>
    private byte[] StreamThroughZarr(string name, byte[] input, int[] shape, bool bytes, ClaheOptions options)
    {
        var longShape = shape.Select(s => (long)s).ToArray();
        var chunks = shape.Select(s => (long)Math.Max(1, (s + 2) / 3)).ToArray();
        var inputPath = Path.Combine(folder, name + "-in.zarr");
        var outputPath = Path.Combine(folder, name + "-out.zarr");
        var source = bytes ? CellVision.IO.Zarr.ZarrArray.Create<byte>(inputPath, longShape, chunks) : CellVision.IO.Zarr.ZarrArray.Create<ushort>(inputPath, longShape, chunks);
        source.WriteBytes(source.Bounds, input);
        var destination = CellVision.IO.Zarr.ZarrArray.Create<double>(outputPath, longShape, longShape.Select((s, i) => i == 0 ? Math.Max(1, s / 2) : s).ToArray());
        var reports = new List<(int Done, int Total)>();
        Clahe.Equalize(source, destination, budgetBytes: 1, options, new Progress(reports.Add), CancellationToken.None);
        Assert.Equal(reports[^1].Total, reports[^1].Done);
        var result = new byte[input.Length / (bytes ? 1 : 2) * 8];
        destination.ReadBytes(destination.Bounds, result);
        return result;
    }

    [Fact]
    public void IntegerOutputsAreScikitImagesImgAsUintAndImgAsUbyteOfTheResult()
    {
        using var volume = new CellVision.Core.Volumes.Volume<ushort>(9, 40, 44);
        using var bytes = new CellVision.Core.Volumes.Volume<byte>(9, 40, 44);
        var random = new Random(5);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)(random.Next(2000) + (i % 44 * 300));
            bytes.Span[i] = (byte)(volume.Span[i] / 257);
        }

        var options = new ClaheOptions { ClipLimit = 0.02 };
        using var asDouble = Clahe.Equalize(volume, options);
        using var asUInt16 = Clahe.EqualizeToUInt16(volume, options);
        Assert.Equal(asDouble.Span.ToArray().Select(v => (ushort)Math.Round(v * 65535.0)), asUInt16.Span.ToArray());
        using var byteDouble = Clahe.Equalize(bytes, options);
        using var asByte = Clahe.EqualizeToByte(bytes, options);
        Assert.Equal(byteDouble.Span.ToArray().Select(v => (byte)Math.Round(v * 255.0)), asByte.Span.ToArray());
    }

    private static void RunPython(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(600_000), "the golden script did not finish in 600 s");
        Assert.True(process.ExitCode == 0, $"{output.Result}\n{error.Result}");
    }


    private sealed class Progress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
