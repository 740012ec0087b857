using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.IO.Tiff;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>
/// The variation of information and the adapted Rand error equal scikit-image 0.19.3's on random label pairs of every
/// integer type, degenerate inputs, FIB-25 crops against shifted, merged, split and noisy copies and against FFN's
/// result, and the whole FIB-25 volume against FFN's result (Golden/segmentation_golden.py, run by the test).
/// </summary>
public sealed class SegmentationGoldenTests : IDisposable
{
    private const double Relative = 1e-9;
    private const double Absolute = 1e-12;

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-segmentation-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Every_case_matches_scikit_image()
    {
        var shared = Path.GetDirectoryName(SharedData.PathOf("fib25-medulla-ts2"))!;
        PythonReference.Run(Path.Combine("Golden", "segmentation_golden.py"), folder, shared);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray();
        var failures = new List<string>();
        foreach (var entry in manifest)
        {
            var name = entry!["name"]!.GetValue<string>();
            var options = new SegmentationEvaluationOptions
            {
                VariationOfInformationIgnoredLabels = Longs(entry["voi_ignore"]!),
                AdaptedRandIgnoredLabels = Longs(entry["rand_ignore"]!),
            };
            var scores = entry["files"] is JsonArray files
                ? ScoreFiles(Path.Combine(shared, "fib25-medulla-ts2", files[0]!.GetValue<string>()), Path.Combine(shared, "fib25-medulla-ts2", files[1]!.GetValue<string>()), options)
                : ScoreRaw(name, entry["gt_dtype"]!.GetValue<string>(), entry["seg_dtype"]!.GetValue<string>(), options);
            var voi = Doubles(entry["voi"]!);
            var rand = Doubles(entry["rand"]!);

            // scikit-image returns (error, its precision, its recall) with the last two swapped against their definitions.
            Check(failures, name, "VOI split", voi[0], scores.VoiSplit);
            Check(failures, name, "VOI merge", voi[1], scores.VoiMerge);
            Check(failures, name, "ARAND", rand[0], scores.AdaptedRandError);
            Check(failures, name, "Rand precision", rand[2], scores.RandPrecision);
            Check(failures, name, "Rand recall", rand[1], scores.RandRecall);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(22, manifest.Count);
    }

    private SegmentationScores ScoreRaw(string name, string truthType, string testType, SegmentationEvaluationOptions options)
    {
        var truth = File.ReadAllBytes(Path.Combine(folder, name + ".gt"));
        var test = File.ReadAllBytes(Path.Combine(folder, name + ".seg"));
        return truthType switch
        {
            "uint8" => WithTruth<byte>(truth, test, testType, options),
            "int16" => WithTruth<short>(truth, test, testType, options),
            "uint16" => WithTruth<ushort>(truth, test, testType, options),
            "int32" => WithTruth<int>(truth, test, testType, options),
            "uint32" => WithTruth<uint>(truth, test, testType, options),
            "int64" => WithTruth<long>(truth, test, testType, options),
            "uint64" => WithTruth<ulong>(truth, test, testType, options),
            _ => throw new InvalidDataException($"{name}: unexpected ground truth type {truthType}"),
        };
    }

    private static SegmentationScores WithTruth<TTruth>(byte[] truth, byte[] test, string testType, SegmentationEvaluationOptions options)
        where TTruth : unmanaged, IBinaryInteger<TTruth> => testType switch
        {
            "uint8" => Score<TTruth, byte>(truth, test, options),
            "int16" => Score<TTruth, short>(truth, test, options),
            "uint16" => Score<TTruth, ushort>(truth, test, options),
            "int32" => Score<TTruth, int>(truth, test, options),
            "uint32" => Score<TTruth, uint>(truth, test, options),
            "int64" => Score<TTruth, long>(truth, test, options),
            "uint64" => Score<TTruth, ulong>(truth, test, options),
            _ => throw new InvalidDataException($"unexpected segmentation type {testType}"),
        };

    private static SegmentationScores Score<TTruth, TTest>(byte[] truth, byte[] test, SegmentationEvaluationOptions options)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest> =>
        SegmentationEvaluator.Evaluate(MemoryMarshal.Cast<byte, TTruth>(truth), MemoryMarshal.Cast<byte, TTest>(test), options);

    private static SegmentationScores ScoreFiles(string truthPath, string testPath, SegmentationEvaluationOptions options)
    {
        using var truthFile = TiffFile.Open(truthPath);
        using var testFile = TiffFile.Open(testPath);
        using var truth = truthFile.ReadStack<ushort>();
        using var test = testFile.ReadStack<uint>();

        // The volume spans 15 blocks of voxels: one worker and several must merge their counts into the same scores.
        var parallel = SegmentationEvaluator.Evaluate(truth, test, options);
        Assert.Equal(parallel, SegmentationEvaluator.Evaluate(truth, test, options with { MaxDegreeOfParallelism = 1 }));
        return parallel;
    }

    private static void Check(List<string> failures, string name, string measure, double expected, double actual)
    {
        var equal = double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(actual - expected) <= Absolute + (Relative * Math.Abs(expected));
        if (!equal)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {measure} {actual:R}, scikit-image {expected:R}"));
        }
    }

    private static long[] Longs(JsonNode node) => node.AsArray().Select(v => v!.GetValue<long>()).ToArray();

    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => double.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture)).ToArray();
}
