using System.CommandLine;
using CellVision.IO.Lineage;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Ctc;
using CellVision.Networks;
using CellVision.Torch.Serialization;
using CellVision.Tracking;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision link</c>: ELEPHANT's nearest-neighbour linking, optionally corrected by the flow model.</summary>
internal static class LinkCommand
{
    internal static Command Create(CommandContext context)
    {
        var spots = new Option<string>("--spots") { Description = "Spots to link: lineage CSV or TrackMate XML (existing links there are kept or replaced as ELEPHANT does)", Required = true };
        var links = new Option<string?>("--links") { Description = "Links of a lineage CSV (source,target,tracking_tag); approved links are never removed" };
        var output = new Option<string>("--out") { Description = "Where to write: tracks.csv (+ tracks-links.csv), tracks.xml (TrackMate) or a folder for a CTC result (needs --images)", Required = true };
        var images = new Option<string?>("--images") { Description = "The movie (shape and voxel size for CTC output; frames for --flow-model)" };
        var flowModel = new Option<string?>("--flow-model") { Description = "Flow model weights (.pth, ELEPHANT's keys) to correct positions before the search (needs --images)" };
        var defaults = new NearestNeighborLinkingOptions();
        var threshold = new Option<double>("--threshold") { Description = "Search radius in µm", DefaultValueFactory = _ => defaults.DistanceThreshold };
        var maxEdges = new Option<int>("--max-edges") { Description = "Children a spot may have (2 allows divisions)", DefaultValueFactory = _ => defaults.MaxEdges };
        var depth = new Option<int>("--search-depth") { Description = "Earlier timepoints searched for a parent", DefaultValueFactory = _ => defaults.SearchDepth };
        var neighbours = new Option<int>("--search-neighbors") { Description = "Nearest candidates tried per spot", DefaultValueFactory = _ => defaults.SearchNeighbors };
        var interpolate = new Option<bool>("--interpolate") { Description = "Create the missing spots when a parent is found more than one timepoint back" };
        var timepoints = new Option<string?>("--timepoints") { Description = "First and last timepoint to link, e.g. 1-20 [default: all]" };
        var command = new Command("link", "Link spots into tracks with ELEPHANT's nearest-neighbour linking (optionally flow-corrected) and write CSV, TrackMate XML or a CTC result")
        {
            spots, links, output, images, flowModel, threshold, maxEdges, depth, neighbours, interpolate, timepoints,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var target = result.GetValue(output)!;
            var ctc = !Path.HasExtension(target);
            var imagePath = result.GetValue(images);
            if ((ctc || result.GetValue(flowModel) is not null) && imagePath is null)
            {
                return context.Fail(ctc ? "a CTC result folder needs --images for the shape and voxel size." : "--flow-model needs --images.");
            }

            var options = new NearestNeighborLinkingOptions
            {
                DistanceThreshold = result.GetValue(threshold), MaxEdges = result.GetValue(maxEdges), SearchDepth = result.GetValue(depth),
                SearchNeighbors = result.GetValue(neighbours), UseInterpolation = result.GetValue(interpolate),
            };
            options.Validate();
            var graph = LineageFiles.Read(result.GetValue(spots)!, result.GetValue(links));
            var frames = imagePath is null ? [] : DetectCommand.ReadMovie(imagePath, null, context.CancellationToken);
            using var flow = result.GetValue(flowModel) is null ? null : new FlowUNet();
            try
            {
                ISpotMotionEstimator? estimator = null;
                if (flow is not null)
                {
                    using (var weights = PthFile.LoadStateDict(result.GetValue(flowModel)!))
                    {
                        flow.LoadStateDict(weights);
                    }

                    var first = frames[0];
                    estimator = new FlowPredictor(flow, KeepAxials.FromVoxelSize(first.VoxelSize), t => Normalization.MinMaxToUnit(frames[t]));
                }

                var last = graph.Timepoints.DefaultIfEmpty(0).Max();
                var (from, to) = DetectCommand.Range(result.GetValue(timepoints), last + 1);
                var linker = new NearestNeighborLinker(options, estimator);
                var change = linker.LinkTimepoints(graph, from, to, cancellationToken: context.CancellationToken);
                context.Console.WriteLine($"linked {change.TimepointsLinked} timepoint(s): {change.LinksAdded} links added, {change.LinksRemoved} removed, {change.SpotsInterpolated} spots interpolated");
                if (ctc)
                {
                    var image = frames[0];
                    var export = CtcExporter.Export(graph, target, new CtcExportOptions
                    {
                        VoxelSize = image.VoxelSize, Shape = (image.Depth, image.Height, image.Width), LastFrame = frames.Count - 1,
                    }, cancellationToken: context.CancellationToken);
                    context.Console.WriteLine($"{export.Tracks.Count} tracks written to {target} (res_track.txt and masks)");
                }
                else
                {
                    var written = LineageFiles.Write(graph, target, frames.Count > 0 ? frames[0] : null, Math.Max(frames.Count, last + 1), imagePath is null ? "" : Path.GetFileName(imagePath));
                    context.Console.WriteLine($"{graph.SpotCount} spots and {graph.LinkCount} links written to {string.Join(" and ", written)}");
                }

                return 0;
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
            }
        }));
        return command;
    }
}
