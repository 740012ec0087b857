using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.Distributed.Operations;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Distributed.Tests;

/// <summary>
/// A small semantic prediction: a one-level 3-D U-Net with seeded random weights and 3 classes (input 24 × 28 × 28,
/// output 6 × 10 × 10, 9 voxels of context) over a 31 × 48 × 38 volume with funlib attributes and a mask. Blocks start
/// at 9 + 6k along Z and 9 + 10k along Y and X, the last ones moved back along Z and X; the output chunks are 3 × 5 × 5,
/// and with 6 chunks per task the 2 × 2 × 1 tasks of 18 × 30 × 30 voxels cut through blocks along Z and Y.
/// </summary>
internal static class SemanticFixtures
{
    public const int ChunksPerTask = 6;

    public static readonly long[] Shape = [31, 48, 38];

    public static readonly IReadOnlyList<Size3> Factors = [new Size3(2, 2, 2)];

    public static readonly SemanticPredictionOptions Options = new() { InputSize = (24, 28, 28), BlocksInFlight = 2 };

    /// <summary>Writes the network's weights and returns the file.</summary>
    public static string Model(TemporaryFolder folder)
    {
        var options = new SemanticUNetOptions
        {
            Classes = 3,
            UNet = new ValidUNetOptions { FeatureMaps = 4, DownsampleFactors = Factors },
        };
        using var network = TorchRuntime.Seeded(5, () => new SemanticUNet(options));
        var path = folder["model.pth"];
        network.Save(path);
        return path;
    }

    /// <summary>A uint8 volume with bright blobs on noise, with funlib attributes.</summary>
    public static string Raw(TemporaryFolder folder)
    {
        var path = folder["raw.zarr"];
        var array = ZarrArray.Create<byte>(path, Shape, [16, 16, 16], ZarrCompressor.Default);
        array.WriteAttributes(new JsonObject { ["resolution"] = new JsonArray(10, 5, 5), ["offset"] = new JsonArray(0, 40, 80) });
        var values = new byte[Shape[0] * Shape[1] * Shape[2]];
        var random = new Random(3);
        for (var i = 0; i < values.Length; i++)
        {
            var (z, y, x) = (i / (Shape[1] * Shape[2]), i / Shape[2] % Shape[1], i % Shape[2]);
            var (dz, dy, dx) = ((z % 12) - 6, (y % 14) - 7, (x % 11) - 5);
            var blob = (dz * dz) + (dy * dy) + (dx * dx) < 20;
            values[i] = (byte)((blob ? 170 : 40) + random.Next(0, 60));
        }

        array.Write(Box.FromShape(Shape), (ReadOnlySpan<byte>)values);
        return path;
    }

    /// <summary>A uint8 mask: 1 where y &lt; 30.</summary>
    public static string Mask(TemporaryFolder folder)
    {
        var path = folder["mask.zarr"];
        var array = ZarrArray.Create<byte>(path, Shape, [16, 16, 16], ZarrCompressor.Default);
        var values = new byte[Shape[0] * Shape[1] * Shape[2]];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (byte)(i / Shape[2] % Shape[1] < 30 ? 1 : 0);
        }

        array.Write(Box.FromShape(Shape), (ReadOnlySpan<byte>)values);
        return path;
    }

    /// <summary>The single-process library call, into a group laid out as the job's.</summary>
    public static string Reference(TemporaryFolder folder, string raw, string model, string mask)
    {
        var source = ZarrArray.Open(raw);
        using var network = SemanticUNet.Load(model, Factors);
        var path = folder["reference.zarr"];
        var chunks = SemanticPredictionZarr.DefaultChunks(network.GetOutputSize(Options.InputSize));
        var targets = SemanticPredictionZarr.Create(path, source.Shape, network.Classes, chunks, FunlibAttributes.Read(source));
        SemanticPredictor.Predict(source, network, targets, Options, mask: ZarrArray.Open(mask));
        return path;
    }

    /// <summary>The job's plan.</summary>
    public static JobPlan Plan(TemporaryFolder folder, string raw, string model, string mask) =>
        SemanticPredictionOperation.CreatePlan(raw, model, folder["prediction.zarr"], Factors, Options, mask: mask, chunksPerTask: ChunksPerTask);

    /// <summary>The flat index of voxel (z, y, x).</summary>
    public static long Index(long z, long y, long x) => (((z * Shape[1]) + y) * Shape[2]) + x;
}
