using System.Globalization;
using System.Text;
using CellVision.Cli.Report;
using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;

namespace CellVision.Cli.Demo;

/// <summary>Writes the demo report: a Markdown page with the score table and PNG figures beside it.</summary>
internal static class DemoReport
{
    internal static string Write(string folder, SyntheticTimeLapse movie, LineageGraph tracks, IReadOnlyList<double> losses, IReadOnlyList<double> flowLosses,
        IReadOnlyList<(string Measure, double Value, string Meaning)> scores, IReadOnlyList<(string Step, double Seconds)> timings, DemoOptions options)
    {
        var reportFolder = Directory.CreateDirectory(Path.Combine(folder, "report")).FullName;
        var last = movie.Images.Count - 1;
        var frames = new[] { 0, last / 2, last }.Distinct().ToArray();
        foreach (var t in frames)
        {
            PngWriter.Write(Path.Combine(reportFolder, $"tracks_t{t:D3}.png"), Figures.Projection(movie.Images[t], tracks, t));
        }

        PngWriter.Write(Path.Combine(reportFolder, "lineage.png"), Figures.LineageTree(tracks, movie.Images.Count));
        PngWriter.Write(Path.Combine(reportFolder, "lineage_truth.png"), Figures.LineageTree(movie.Truth, movie.Images.Count));
        PngWriter.Write(Path.Combine(reportFolder, "loss.png"), Figures.LossCurve(losses));
        PngWriter.Write(Path.Combine(reportFolder, "flow_loss.png"), Figures.LossCurve(flowLosses));

        var m = movie.Options;
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("# CellVision demo report").AppendLine();
        text.AppendLine(invariant, $"A synthetic 3D+t movie of {movie.Truth.SpotCount} nuclei over {m.Timepoints} timepoints ({m.Depth}×{m.Height}×{m.Width} voxels of {m.VoxelSize.X}×{m.VoxelSize.Y}×{m.VoxelSize.Z} µm, seed {m.Seed}), ")
            .AppendLine(invariant, $"{movie.Truth.Spots.Count(s => s.Outgoing.Count > 1)} divisions. The detector was trained from {options.AnnotatedNuclei} nuclei annotated at timepoint 0 ")
            .AppendLine(invariant, $"({options.EffectiveEpochs} epochs of {options.CropsPerEpoch} crops), then predicted every timepoint; the flow model learnt from the approved links of the first frame pairs; detections were linked by nearest neighbours with and without flow correction, exported in the Cell Tracking Challenge format (`ctc/01_RES` with flow, `ctc/02_RES` without) and scored against the ground truth (`ctc/01_GT`). The figures show the tracks linked with flow.")
            .AppendLine();
        text.AppendLine("## Scores").AppendLine().AppendLine("| measure | value | meaning |").AppendLine("|---|---:|---|");
        foreach (var (measure, value, meaning) in scores)
        {
            text.AppendLine(invariant, $"| {measure} | {value:F4} | {meaning} |");
        }

        text.AppendLine().AppendLine("## Tracks").AppendLine();
        text.AppendLine("Maximum-intensity projections along Z; each track is drawn in its colour up to the timepoint shown, with a circle on each nucleus present then.").AppendLine();
        foreach (var t in frames)
        {
            text.AppendLine(invariant, $"![tracks at timepoint {t}](tracks_t{t:D3}.png)");
        }

        text.AppendLine().AppendLine("## Lineage").AppendLine();
        text.AppendLine("Time runs from left to right (one grid line per timepoint); each row is a tracklet, dots mark divisions.").AppendLine();
        text.AppendLine("Found:").AppendLine().AppendLine("![lineage found](lineage.png)").AppendLine();
        text.AppendLine("Truth:").AppendLine().AppendLine("![lineage truth](lineage_truth.png)").AppendLine();
        text.AppendLine("## Detector training").AppendLine();
        text.AppendLine("Mean loss per epoch (ELEPHANT's loss; vertical axis from 0 to the largest value):").AppendLine();
        text.AppendLine("![loss curve](loss.png)").AppendLine();
        text.AppendLine("| epoch | loss |").AppendLine("|---:|---:|");
        for (var i = 0; i < losses.Count; i++)
        {
            text.AppendLine(invariant, $"| {i + 1} | {losses[i]:F4} |");
        }

        text.AppendLine().AppendLine("## Flow model training").AppendLine();
        text.AppendLine(invariant, $"Mean loss per epoch of ELEPHANT's flow loss, trained on the links a person approved in the first {options.ApprovedTransitions} frame pairs:").AppendLine();
        text.AppendLine("![flow loss curve](flow_loss.png)").AppendLine();
        text.AppendLine("| epoch | loss |").AppendLine("|---:|---:|");
        for (var i = 0; i < flowLosses.Count; i++)
        {
            text.AppendLine(invariant, $"| {i + 1} | {flowLosses[i]:F4} |");
        }

        text.AppendLine().AppendLine("## Time").AppendLine().AppendLine("| step | seconds |").AppendLine("|---|---:|");
        foreach (var (step, seconds) in timings)
        {
            text.AppendLine(invariant, $"| {step} | {seconds:F1} |");
        }

        var path = Path.Combine(reportFolder, "report.md");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
