using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// Builds the metric-learning patches of cell-tracker-gnn: the raw frame cropped to the cell's bounding box, voxels of
/// other labels set to 0, the cell's voxels mapped by <c>(I − min) / (max − min)</c>, then zero-padded, centred
/// (front pad = half the slack, rounded down), to the ROI, or to <see cref="CellPatchSettings.PadTo"/> and resized to the ROI.
/// </summary>
public static class CellPatchExtractor
{
    /// <summary>Builds one cell's patch.</summary>
    /// <typeparam name="TRaw">The raw voxel type.</typeparam>
    /// <typeparam name="TLabel">The label type.</typeparam>
    /// <param name="raw">The raw frame (depth 1 in 2-D).</param>
    /// <param name="labels">The label frame, same shape; the cell is <see cref="CellFeatures.Label"/>.</param>
    /// <param name="cell">The cell, with its bounding box.</param>
    /// <param name="settings">Intensity range and size.</param>
    /// <returns>Row-major float32 values of shape (Y, X) in 2-D or (Z, Y, X) in 3-D of the ROI.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the cell exceeds the pad extent.</exception>
    public static float[] Extract<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, CellFeatures cell, CellPatchSettings settings)
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(settings);
        if (!raw.Shape.SequenceEqual(labels.Shape))
        {
            throw new ArgumentException("The raw and label frames differ in shape.", nameof(labels));
        }

        return Assemble(new VolumeVoxels<TRaw, TLabel>(raw, labels, cell), cell, settings);
    }

    /// <summary>
    /// Lays out a cell's patch from its bounding-box voxels: inside voxels normalised, outside ones 0, padded centred,
    /// then resized when <see cref="CellPatchSettings.PadTo"/> differs from the ROI.
    /// </summary>
    internal static float[] Assemble<TVoxels>(TVoxels voxels, CellFeatures cell, CellPatchSettings settings)
        where TVoxels : ICellVoxels
    {
        var threeD = cell.Dimensions == 3;
        var target = settings.PadTo ?? settings.Roi;
        var padded = (Z: threeD ? target.Z : 1, target.Y, target.X);
        var extent = cell.Extent;
        if (extent.Z > padded.Z || extent.Y > padded.Y || extent.X > padded.X)
        {
            throw new ArgumentException($"Cell {cell.Label} of frame {cell.Frame} ({extent}) exceeds the patch extent {padded}.", nameof(cell));
        }

        var front = (Z: (padded.Z - extent.Z) / 2, Y: (padded.Y - extent.Y) / 2, X: (padded.X - extent.X) / 2);
        var patch = new float[padded.Z * padded.Y * padded.X];
        var range = settings.MaxCell - settings.MinCell;
        for (var z = 0; z < extent.Z; z++)
        {
            for (var y = 0; y < extent.Y; y++)
            {
                var offset = ((((front.Z + z) * padded.Y) + front.Y + y) * padded.X) + front.X;
                for (var x = 0; x < extent.X; x++)
                {
                    // In double, as NumPy normalises the uint16 crop, then rounded once to float32.
                    patch[offset + x] = voxels.Inside(z, y, x, out var value) ? (float)((value - settings.MinCell) / range) : 0f;
                }
            }
        }

        return settings.PadTo is null || settings.PadTo == settings.Roi ? patch : Resize(patch, padded, settings.Roi, threeD);
    }

    /// <summary>Stacks patches into the network's input: [B, 1, Y, X] in 2-D or [B, 1, Z, Y, X] in 3-D, float32.</summary>
    /// <param name="patches">Patches from <see cref="Extract"/> with the same settings.</param>
    /// <param name="roi">Their extent.</param>
    /// <param name="spatialDimensions">2 or 3.</param>
    /// <returns>The batch.</returns>
    public static Tensor Batch(IReadOnlyList<float[]> patches, (int Z, int Y, int X) roi, int spatialDimensions)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var size = (spatialDimensions == 3 ? roi.Z : 1) * roi.Y * roi.X;
        var data = new float[patches.Count * size];
        for (var i = 0; i < patches.Count; i++)
        {
            if (patches[i].Length != size)
            {
                throw new ArgumentException($"Patch {i} holds {patches[i].Length} values, not {size}.", nameof(patches));
            }

            patches[i].CopyTo(data, i * size);
        }

        long[] shape = spatialDimensions == 3 ? [patches.Count, 1, roi.Z, roi.Y, roi.X] : [patches.Count, 1, roi.Y, roi.X];
        return Tensor.FromSpan<float>(data, shape);
    }

    private static float[] Resize(float[] patch, (int Z, int Y, int X) from, (int Z, int Y, int X) to, bool threeD)
    {
        using var scope = DisposeScope.Enter();
        var input = threeD
            ? Tensor.FromSpan<float>(patch, [1, 1, from.Z, from.Y, from.X])
            : Tensor.FromSpan<float>(patch, [1, 1, from.Y, from.X]);
        var resized = threeD
            ? Functional.Interpolate(input, [to.Z, to.Y, to.X], InterpolationMode.Trilinear, alignCorners: false)
            : Functional.Interpolate(input, [to.Y, to.X], InterpolationMode.Bilinear, alignCorners: false);
        return resized.Contiguous().ToArray<float>();
    }

    /// <summary>The voxels of a cell's bounding box, addressed from its first corner.</summary>
    internal interface ICellVoxels
    {
        /// <summary>Whether the voxel belongs to the cell, and its raw intensity if it does.</summary>
        bool Inside(int z, int y, int x, out double value);
    }

    private readonly struct VolumeVoxels<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, CellFeatures cell) : ICellVoxels
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        private readonly TLabel label = TLabel.CreateTruncating(cell.Label);

        public bool Inside(int z, int y, int x, out double value)
        {
            var (mz, my, mx) = cell.BoundingBoxMin;
            if (labels.Row(mz + z, my + y)[mx + x] != label)
            {
                value = 0;
                return false;
            }

            value = double.CreateTruncating(raw.Row(mz + z, my + y)[mx + x]);
            return true;
        }
    }
}
