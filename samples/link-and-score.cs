#:property PublishAot=false
#:project ../src/CellVision/CellVision.csproj

// CellVision sample: take a synthetic movie's true lineages, remove every link, relink the nuclei with ELEPHANT's
// nearest-neighbour linker, export the result as a Cell Tracking Challenge folder and score it with the official
// measures against the truth exported as ground truth.
// Run from the repository root: dotnet run samples/link-and-score.cs [output folder]
using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Synthetic;
using CellVision.IO.Ctc;
using CellVision.Evaluation;
using CellVision.Tracking;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var keep = args.Length > 0;
var folder = keep ? Path.GetFullPath(args[0]) : Path.Combine(Path.GetTempPath(), $"cellvision-link-and-score-{Environment.ProcessId}");

// 1. A movie and its truth: positions in µm, links between consecutive timepoints, divisions.
using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 12, Seed = 11 });
var graph = movie.Truth;
var frame = movie.Images[0];
var export = new CtcExportOptions
{
    VoxelSize = frame.VoxelSize,
    Shape = (frame.Depth, frame.Height, frame.Width),
    LastFrame = movie.Images.Count - 1,       // the result must have exactly the ground truth's frames
};
Console.WriteLine($"truth: {graph.SpotCount} nuclei over {movie.Images.Count} timepoints, {graph.LinkCount} links, {graph.Spots.Count(s => s.Outgoing.Count > 1)} divisions");

// 2. The truth as CTC ground truth (01_GT/TRA: man_trackTTT.tif and man_track.txt).
var clock = Stopwatch.StartNew();
var groundTruth = CtcExporter.Export(graph, Path.Combine(folder, "01_GT", "TRA"), export with { Kind = CtcFolderKind.GroundTruth });
Console.WriteLine($"ground truth: {groundTruth.Tracks.Count} tracks written in {clock.ElapsedMilliseconds} ms");

// 3. Relink the same nuclei with three search radii (ELEPHANT's default is 5 µm) and score each result.
Console.WriteLine($"{"threshold",9} {"links",6} {"TRA",7} {"DET",7} {"LNK",7} {"EA",4} {"ED",4} {"EC",4} {"ms",6}");
foreach (var threshold in new[] { 1.0, 2.5, 5.0 })
{
    foreach (var link in graph.Links.ToArray())
    {
        graph.RemoveLink(link);
    }

    clock.Restart();
    var linker = new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = threshold });
    var linked = linker.LinkAll(graph);
    var result = Path.Combine(folder, $"01_RES_{threshold:F1}");
    CtcExporter.Export(graph, result, export);
    var scores = CtcEvaluator.Evaluate(Path.Combine(folder, "01_GT"), result).Scores;
    var c = scores.Counts;
    Console.WriteLine($"{threshold,6:F1} µm {linked.LinksAdded,6} {scores.Tra,7:F4} {scores.Det,7:F4} {scores.Lnk,7:F4} {c.MissingEdges,4} {c.RedundantEdges,4} {c.WrongTypeEdges,4} {clock.ElapsedMilliseconds,6}");
}

if (keep)
{
    Console.WriteLine($"CTC folders kept in {folder}");
}
else
{
    Directory.Delete(folder, recursive: true);
}
