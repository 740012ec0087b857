// The quick start of README.md: relink a movie's nuclei with ELEPHANT's linking and score it as the CTC does.
using CellVision.Core.Synthetic;
using CellVision.IO.Ctc;
using CellVision.Evaluation;
using CellVision.Tracking;

using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Seed = 3 });   // nuclei over time + truth
var frame = movie.Images[0];
var export = new CtcExportOptions { VoxelSize = frame.VoxelSize, Shape = (frame.Depth, frame.Height, frame.Width) };
CtcExporter.Export(movie.Truth, "quickstart/01_GT/TRA", export with { Kind = CtcFolderKind.GroundTruth });
foreach (var link in movie.Truth.Links.ToList()) movie.Truth.RemoveLink(link);              // forget every link
var change = new NearestNeighborLinker().LinkAll(movie.Truth);                               // ELEPHANT's NN linking
CtcExporter.Export(movie.Truth, "quickstart/01_RES", export);
var scores = CtcEvaluator.Evaluate("quickstart/01_GT", "quickstart/01_RES").Scores;
Console.WriteLine($"{change.LinksAdded} links made; TRA {scores.Tra:F4}, DET {scores.Det:F4}, LNK {scores.Lnk:F4}");
