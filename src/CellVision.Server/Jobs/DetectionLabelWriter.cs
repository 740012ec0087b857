using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Zarr;

namespace CellVision.Server.Jobs;

/// <summary>
/// Writes one timepoint's detection labels into <c>seg_labels.zarr</c> and <c>seg_labels_vis.zarr</c> as ELEPHANT's
/// <c>/seg/update</c> does: the whole frame is rebuilt from the spots sent (<see cref="LabelGenerator"/>), the colour
/// view gets (v, 0, 0) for background, (0, v, 0) for border and (0, 0, v) for centre with v = 255 for true and 127 for
/// false labels, and the attributes <c>label.indices.&lt;t&gt;</c> and <c>updated</c> are set.
/// </summary>
internal static class DetectionLabelWriter
{
    /// <summary>Generates and writes the labels of one timepoint.</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="t">The timepoint.</param>
    /// <param name="voxelSize">The request's scales.</param>
    /// <param name="spots">The timepoint's tagged spots, in the order received.</param>
    /// <param name="options">Centre ratio and auto-background threshold.</param>
    /// <param name="cancellationToken">Cancels the read and writes.</param>
    /// <returns>The labels; the caller disposes them.</returns>
    public static Volume<byte> Write(string datasetFolder, int t, VoxelSize voxelSize, IReadOnlyList<AnnotatedSpot> spots, LabelOptions options, CancellationToken cancellationToken)
    {
        var images = DatasetFrames.Open(datasetFolder, "imgs.zarr");
        var shape = DatasetFrames.Shape(images);
        Volume<float>? normalised = null;
        try
        {
            if (options.AutoBackgroundThreshold > 0)
            {
                using var frame = DatasetFrames.Read(images, t, voxelSize, cancellationToken);
                normalised = Normalization.MinMaxToUnit(frame);
            }

            var labels = LabelGenerator.Generate(shape, voxelSize, spots, options, normalised);
            try
            {
                var labelArray = DatasetFrames.Open(datasetFolder, "seg_labels.zarr");
                labelArray.Write<byte>(DatasetFrames.Frame(labelArray, t), labels.Span, cancellationToken: cancellationToken);
                var vis = DatasetFrames.Open(datasetFolder, "seg_labels_vis.zarr");
                vis.Write<byte>(DatasetFrames.Frame(vis, t), Colours(labels.Span), cancellationToken: cancellationToken);
                var attributes = labelArray.ReadAttributes();
                var indices = new JsonArray();
                foreach (var spot in spots)
                {
                    indices.Add(new JsonArray(
                        (int)Math.Floor(spot.Z / voxelSize.Z),
                        (int)Math.Floor(spot.Y / voxelSize.Y),
                        (int)Math.Floor(spot.X / voxelSize.X)));
                }

                attributes[$"label.indices.{t}"] = indices;
                attributes["updated"] = true;
                labelArray.WriteAttributes(attributes);
                return labels;
            }
            catch
            {
                labels.Dispose();
                throw;
            }
        }
        finally
        {
            normalised?.Dispose();
        }
    }

    /// <summary>Reads the stored labels of one timepoint (what live training trains on).</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="t">The timepoint.</param>
    /// <param name="voxelSize">The voxel size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static Volume<byte> Read(string datasetFolder, int t, VoxelSize voxelSize, CancellationToken cancellationToken)
    {
        var labelArray = DatasetFrames.Open(datasetFolder, "seg_labels.zarr");
        var (depth, height, width) = DatasetFrames.Shape(labelArray);
        var labels = new Volume<byte>(depth, height, width, voxelSize);
        try
        {
            labelArray.Read(DatasetFrames.Frame(labelArray, t), labels.Span, cancellationToken: cancellationToken);
            return labels;
        }
        catch
        {
            labels.Dispose();
            throw;
        }
    }

    /// <summary>Recreates <c>seg_labels.zarr</c> and <c>seg_labels_vis.zarr</c> empty (same metadata, no attributes).</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    public static void Reset(string datasetFolder)
    {
        DatasetFrames.Recreate(datasetFolder, "seg_labels.zarr");
        DatasetFrames.Recreate(datasetFolder, "seg_labels_vis.zarr");
    }

    private static byte[] Colours(ReadOnlySpan<byte> labels)
    {
        var rgb = new byte[labels.Length * 3];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is >= 1 and <= 6)
            {
                var channel = (labels[i] - 1) % 3;
                rgb[(i * 3) + channel] = labels[i] <= 3 ? (byte)255 : (byte)127;
            }
        }

        return rgb;
    }
}
