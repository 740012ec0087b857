using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.IO.Tiff;

namespace CellVision.IO.Tests;

/// <summary>TIFF files move both ways between CellVision and tifffile / Pillow (Interop/tiff_interop.py) with identical samples and ImageJ metadata.</summary>
public sealed class TiffInteropTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-tiff-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void FilesWrittenByTifffileAndPillowReadIdentically()
    {
        var source = Path.Combine(folder, "python");
        PythonReference.Run("Interop/tiff_interop.py", "write", source);
        var failures = new List<string>();
        var cases = Manifest(source).ToList();
        foreach (var testCase in cases)
        {
            var name = testCase["name"]!.GetValue<string>();
            var expected = File.ReadAllBytes(Path.Combine(source, name + ".tif.bin"));
            using var tiff = TiffFile.Open(Path.Combine(source, name + ".tif"));
            var pages = testCase["pages"]!.GetValue<int>();
            if (tiff.Pages.Count != pages)
            {
                failures.Add($"{name}: {tiff.Pages.Count} pages instead of {pages}");
                continue;
            }

            var actual = new byte[expected.Length];
            var planeBytes = expected.Length / pages;
            for (var p = 0; p < pages; p++)
            {
                tiff.ReadPageBytes(p, actual.AsSpan(p * planeBytes, planeBytes));
            }

            if (!actual.AsSpan().SequenceEqual(expected))
            {
                failures.Add($"{name}: samples differ");
            }

            if (testCase["tool"]!.GetValue<string>() == "imagej")
            {
                var imageJ = tiff.ImageJ;
                Assert.NotNull(imageJ);
                Assert.Equal(testCase["slices"]!.GetValue<int>(), imageJ.Slices);
                Assert.Equal(testCase["frames"]!.GetValue<int>(), imageJ.Frames);
                Assert.Equal(testCase["spacing"]!.GetValue<double>(), imageJ.Spacing);
                Assert.Equal(testCase["pixel"]!.GetValue<double>(), imageJ.PixelWidth!.Value, 6);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(cases.Count > 100);
        Assert.Contains(cases, c => c["bigtiff"] is not null);
    }

    [Fact]
    public void FilesWrittenHereReadIdenticallyInTifffileAndPillow()
    {
        var source = Path.Combine(folder, "python");
        var target = Path.Combine(folder, "cellvision");
        PythonReference.Run("Interop/tiff_interop.py", "write", source);
        Directory.CreateDirectory(target);
        var manifest = new JsonArray();
        foreach (var testCase in Manifest(source))
        {
            var name = testCase["name"]!.GetValue<string>();
            var dtype = testCase["dtype"]!.GetValue<string>();
            var pages = testCase["pages"]!.GetValue<int>();
            var (width, height) = (testCase["width"]!.GetValue<int>(), testCase["height"]!.GetValue<int>());
            var compression = testCase["compression"]!.GetValue<string>();
            var tool = testCase["tool"]!.GetValue<string>();
            var options = new TiffWriteOptions
            {
                Compression = compression switch
                {
                    "none" => TiffCompression.None,
                    "tiff_lzw" => TiffCompression.Lzw,
                    "packbits" => TiffCompression.PackBits,
                    _ => TiffCompression.Deflate,
                },
                HorizontalPredictor = compression == "zlib_predictor" || (tool == "pil" && dtype != "f4" && compression == "tiff_lzw"),
                BigEndian = testCase["byteorder"]!.GetValue<string>() == ">",
                ImageJ = tool == "imagej"
                    ? new ImageJMetadata
                    {
                        Images = pages,
                        Slices = testCase["slices"]!.GetValue<int>(),
                        Frames = testCase["frames"]!.GetValue<int>(),
                        Hyperstack = testCase["frames"]!.GetValue<int>() > 1,
                        Unit = "micron",
                        Spacing = testCase["spacing"]!.GetValue<double>(),
                        PixelWidth = testCase["pixel"]!.GetValue<double>(),
                        PixelHeight = testCase["pixel"]!.GetValue<double>(),
                    }
                    : null,
            };
            var data = File.ReadAllBytes(Path.Combine(source, name + ".tif.bin"));
            var path = Path.Combine(target, name + ".tif");
            switch (dtype)
            {
                case "u1": Write<byte>(path, data, pages, width, height, options); break;
                case "i1": Write<sbyte>(path, data, pages, width, height, options); break;
                case "u2": Write<ushort>(path, data, pages, width, height, options); break;
                case "i2": Write<short>(path, data, pages, width, height, options); break;
                case "u4": Write<uint>(path, data, pages, width, height, options); break;
                case "i4": Write<int>(path, data, pages, width, height, options); break;
                default: Write<float>(path, data, pages, width, height, options); break;
            }

            File.Copy(Path.Combine(source, name + ".tif.bin"), path + ".bin");
            var entry = testCase.DeepClone().AsObject();
            entry["compression"] = options.Compression switch
            {
                TiffCompression.Lzw => "lzw",
                TiffCompression.PackBits => "packbits",
                _ => "tifffile",
            };
            if (options.ImageJ is { } imageJ)
            {
                // ImageJ writes a count only when it exceeds 1, and tifffile reports only what is written.
                var expectedMetadata = new JsonObject { ["slices"] = imageJ.Slices, ["spacing"] = imageJ.Spacing, ["unit"] = imageJ.Unit, ["images"] = imageJ.Images };
                if (imageJ.Frames > 1)
                {
                    expectedMetadata["frames"] = imageJ.Frames;
                }

                entry["imagej"] = expectedMetadata;
            }

            manifest.Add(entry);
        }

        File.WriteAllText(Path.Combine(target, "manifest.json"), manifest.ToJsonString());
        var report = PythonReference.Run("Interop/tiff_interop.py", "verify", target);
        Assert.Contains(", 0 mismatches", report);
    }

    private static void Write<T>(string path, byte[] data, int pages, int width, int height, TiffWriteOptions options)
        where T : unmanaged
    {
        var samples = MemoryMarshal.Cast<byte, T>(data).ToArray();
        var planes = Enumerable.Range(0, pages).Select(p => (ReadOnlyMemory<T>)samples.AsMemory(p * width * height, width * height)).ToList();
        TiffWriter.Write(path, planes, width, height, options);
    }

    private static IEnumerable<JsonObject> Manifest(string directory) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")))!.AsArray().Select(n => n!.AsObject());
}
