using System.Text.Json.Nodes;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>Runs Golden/ffn_canvas_golden.py once into a temporary folder and reads its cases.</summary>
public sealed class FloodFillGoldenFixture : IDisposable
{
    /// <summary>The test collection that shares one run of the script.</summary>
    public const string Collection = "flood-fill golden";

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ffn-canvas-").FullName;

    public FloodFillGoldenFixture()
    {
        PythonReference.Run(Path.Combine("Golden", "ffn_canvas_golden.py"), folder, Path.GetDirectoryName(SharedData.PathOf("fib25-medulla-ts2"))!);
        Manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray();
    }

    /// <summary>The case names the script writes.</summary>
    public static TheoryData<string> CaseNames { get; } =
        ["fib25", "cells", "cells-anisotropic-masked", "cells-initial-activation-below-move-threshold", "cells-no-disconnection-bias"];

    internal JsonArray Manifest { get; }

    /// <summary>The temporary folder holding the script's outputs.</summary>
    internal string Folder => folder;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>One case: its image, allowed region, options, stand-in network and the reference's outputs.</summary>
    internal GoldenCase Read(string name)
    {
        var entry = Manifest.Single(e => e!["name"]!.GetValue<string>() == name)!;
        var shape = entry["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        var raw = new Volume<byte>(shape[0], shape[1], shape[2]);
        File.ReadAllBytes(Path.Combine(folder, name + ".raw")).CopyTo(raw.Span);
        Volume<bool>? allowed = null;
        if (entry["masked"]!.GetValue<bool>())
        {
            allowed = new Volume<bool>(shape[0], shape[1], shape[2]);
            var bytes = File.ReadAllBytes(Path.Combine(folder, name + ".allowed"));
            for (var i = 0; i < bytes.Length; i++)
            {
                allowed.Span[i] = bytes[i] != 0;
            }
        }

        var options = Options(entry["options"]!);
        var network = Network(entry["network"]!);
        return new GoldenCase(
            name,
            raw,
            allowed,
            options,
            network,
            entry["logits"]!,
            JsonNode.Parse(File.ReadAllText(Path.Combine(folder, name + ".json")))!,
            Floats(name + ".edges"),
            Floats(name + ".thresh"),
            Floats(name + ".dt"),
            Ints(name + ".canvas"),
            File.ReadAllBytes(Path.Combine(folder, name + ".labels")));
    }

    /// <summary>The options the script wrote.</summary>
    internal static FloodFillInferenceOptions Options(JsonNode o)
    {
        var mbd = o["min_boundary_dist"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        return new FloodFillInferenceOptions
        {
            ImageMean = o["image_mean"]!.GetValue<double>(),
            ImageStandardDeviation = o["image_stddev"]!.GetValue<double>(),
            InitialActivation = o["init_activation"]!.GetValue<double>(),
            PadValue = o["pad_value"]!.GetValue<double>(),
            MoveThreshold = o["move_threshold"]!.GetValue<double>(),
            MinimumBoundaryDistance = (mbd[0], mbd[1], mbd[2]),
            SegmentThreshold = o["segment_threshold"]!.GetValue<double>(),
            MinimumSegmentSize = o["min_segment_size"]!.GetValue<int>(),
            DisconnectedSeedThreshold = o["disco_seed_threshold"]!.GetValue<double>(),
        };
    }

    /// <summary>The stand-in network the script used.</summary>
    internal static StandInNetwork Network(JsonNode n)
    {
        var fov = n["fov"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        var deltas = n["deltas"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        return new StandInNetwork(
            (fov[0], fov[1], fov[2]),
            (deltas[0], deltas[1], deltas[2]),
            n["level"]!.GetValue<float>(),
            n["gain"]!.GetValue<float>(),
            n["cap"]!.GetValue<float>(),
            n["decay"]!.GetValue<float>());
    }

    private float[] Floats(string file) => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, file)))];

    private int[] Ints(string file) => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(Path.Combine(folder, file)))];
}

/// <summary>One golden case.</summary>
internal sealed record GoldenCase(
    string Name,
    Volume<byte> Raw,
    Volume<bool>? Allowed,
    FloodFillInferenceOptions Options,
    StandInNetwork Network,
    JsonNode Logits,
    JsonNode Reference,
    float[] Edges,
    float[] Threshold,
    float[] Distances,
    int[] Canvas,
    byte[] Labels) : IDisposable
{
    public void Dispose()
    {
        Raw.Dispose();
        Allowed?.Dispose();
    }
}

/// <summary>The classes that read the script's outputs, sharing one run.</summary>
[CollectionDefinition(FloodFillGoldenFixture.Collection)]
public sealed class FloodFillGoldenGroup : ICollectionFixture<FloodFillGoldenFixture>;
