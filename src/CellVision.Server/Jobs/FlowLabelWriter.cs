using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Tracking;

namespace CellVision.Server.Jobs;

/// <summary>
/// Writes the flow labels of one frame pair (t, t + 1) into <c>flow_labels.zarr[t]</c> as ELEPHANT's <c>/flow/update</c>
/// does: channels X, Y, Z (displacement source − target in voxels divided by the norm factor) and the mask, painted over
/// each target ellipsoid (<see cref="FlowLabelGenerator"/>); attributes <c>label.indices.&lt;t&gt;</c> and
/// <c>updated</c>. Unlike the original, <c>/flow/update</c> and <c>/flow/train</c> use the same Z normaliser.
/// </summary>
internal static class FlowLabelWriter
{
    /// <summary>Generates and writes the label of one frame pair.</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="t">The earlier timepoint of the pair (the request's <c>t</c>).</param>
    /// <param name="voxelSize">The request's scales.</param>
    /// <param name="annotations">The pair's links, in the order received.</param>
    /// <param name="normFactor">The norm factor.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The label; the caller disposes it.</returns>
    public static FlowLabel Write(string datasetFolder, int t, VoxelSize voxelSize, IReadOnlyList<FlowAnnotation> annotations, FlowNormFactor normFactor, CancellationToken cancellationToken)
    {
        var images = DatasetFrames.Open(datasetFolder, "imgs.zarr");
        var labels = DatasetFrames.Open(datasetFolder, "flow_labels.zarr");
        var box = DatasetFrames.Frame(labels, t);
        var label = FlowLabelGenerator.Generate(DatasetFrames.Shape(images), voxelSize, annotations, normFactor);
        try
        {
            var length = label.X.Length;
            var channels = new float[length * 4];
            label.X.Span.CopyTo(channels.AsSpan(0, length));
            label.Y.Span.CopyTo(channels.AsSpan(length, length));
            label.Z.Span.CopyTo(channels.AsSpan(2 * length, length));
            label.Mask.Span.CopyTo(channels.AsSpan(3 * length, length));
            labels.Write<float>(box, channels, cancellationToken: cancellationToken);
            var attributes = labels.ReadAttributes();
            var indices = new JsonArray();
            foreach (var (z, y, x) in label.Centroids)
            {
                indices.Add(new JsonArray(z, y, x));
            }

            attributes[$"label.indices.{t}"] = indices;
            attributes["updated"] = true;
            labels.WriteAttributes(attributes);
            return label;
        }
        catch
        {
            label.Dispose();
            throw;
        }
    }

    /// <summary>Recreates <c>flow_labels.zarr</c> empty (same metadata, no attributes).</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    public static void Reset(string datasetFolder) => DatasetFrames.Recreate(datasetFolder, "flow_labels.zarr");
}
