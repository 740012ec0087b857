using System.CommandLine;
using CellVision.Segmentation;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>ffn-fib25</c>: <see cref="FfnFib25"/>.</summary>
internal static class FfnFib25Command
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The FIB-25 medulla training_sample2 folder", DefaultValueFactory = _ => "../shared/data/fib25-medulla-ts2" };
        var model = new Option<string>("--model") { Description = "Weights from cellvision ffn train (trained on planes below --first-plane)", Required = true };
        var firstPlane = new Option<int>("--first-plane") { Description = "First plane of the evaluation block", DefaultValueFactory = _ => 150 };
        var defaults = new FloodFillInferenceOptions();
        var minimumSize = new Option<int>("--min-segment-size") { Description = "Objects with fewer new voxels are rejected", DefaultValueFactory = _ => defaults.MinimumSegmentSize };
        var segment = new Option<double>("--segment-threshold") { Description = "Mask probability that makes a voxel part of the object", DefaultValueFactory = _ => defaults.SegmentThreshold };
        var area = new Option<string?>("--area") { Description = "Only this Y0,X0,HEIGHT,WIDTH part of the planes [default: all of them]" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string?>("--out") { Description = "Also write the labels of the block here (uint32 TIFF)" };
        var command = new Command("ffn-fib25", "Flood-filling segmentation of FIB-25 planes 150-249 with a trained model, scored (VOI, ARAND) beside google/ffn's published result and the supervoxels")
        {
            data, model, firstPlane, area, minimumSize, segment, output, threads,
        };
        command.SetAction(result => FfnFib25.Run(result.GetValue(data)!, result.GetValue(model)!, result.GetValue(firstPlane), Area(result.GetValue(area)),
            new FloodFillInferenceOptions { MinimumSegmentSize = result.GetValue(minimumSize), SegmentThreshold = result.GetValue(segment) }, result.GetValue(output), result.GetValue(threads)));
        return command;
    }

    private static (int, int, int, int)? Area(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return parts.Length == 4 ? (parts[0], parts[1], parts[2], parts[3]) : throw new ArgumentException($"--area '{text}' is not Y0,X0,HEIGHT,WIDTH.");
    }
}
