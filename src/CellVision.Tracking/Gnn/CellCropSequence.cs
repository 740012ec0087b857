using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>
/// The cells of one sequence together with the part of the raw frame their metric-learning patches are cut from (each
/// cell's bounding box and which of its voxels are the cell's), gathered frame by frame so that whole frames need not
/// stay in memory. Patches are made from it with any intensity range and ROI (<see cref="Patch"/>), as the
/// reference's <c>crop_norm_padding</c> does on the full frame.
/// </summary>
/// <remarks>Cells are kept in frame order and, within a frame, by label: the order of the reference's CSV rows.</remarks>
public sealed class CellCropSequence
{
    private readonly List<CellFeatures> cells = [];
    private readonly List<Crop> crops = [];

    /// <summary>The cells, in frame order, then label order.</summary>
    public IReadOnlyList<CellFeatures> Cells => cells;

    /// <summary>The number of cells.</summary>
    public int Count => cells.Count;

    /// <summary>Builds a sequence from whole frames held in memory.</summary>
    /// <typeparam name="TRaw">The raw voxel type.</typeparam>
    /// <typeparam name="TLabel">The label type.</typeparam>
    /// <param name="raw">The raw frames, in time order.</param>
    /// <param name="labels">The label frames (segmentation, or ground-truth markers for training), same shapes.</param>
    /// <param name="cells">Per frame, the cells measured on it (<see cref="CellFeatureExtractor"/>).</param>
    /// <returns>The sequence.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, or see <see cref="Add"/>.</exception>
    public static CellCropSequence FromFrames<TRaw, TLabel>(IReadOnlyList<Volume<TRaw>> raw, IReadOnlyList<Volume<TLabel>> labels, IReadOnlyList<IReadOnlyList<CellFeatures>> cells)
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(cells);
        if (raw.Count != labels.Count || raw.Count != cells.Count)
        {
            throw new ArgumentException($"{raw.Count} raw frames, {labels.Count} label frames and {cells.Count} cell lists: give one of each per frame.", nameof(cells));
        }

        var sequence = new CellCropSequence();
        for (var t = 0; t < raw.Count; t++)
        {
            sequence.Add(raw[t], labels[t], cells[t]);
        }

        return sequence;
    }

    /// <summary>Adds one frame's cells with their crops; frames come in time order.</summary>
    /// <typeparam name="TRaw">The raw voxel type.</typeparam>
    /// <typeparam name="TLabel">The label type.</typeparam>
    /// <param name="raw">The raw frame.</param>
    /// <param name="labels">The label frame the cells were measured on (a cell's voxels carry its <see cref="CellFeatures.Label"/>).</param>
    /// <param name="frameCells">The frame's cells, all of one frame number, after the frames added before.</param>
    /// <exception cref="ArgumentException">The shapes differ, the cells mix frames or come before earlier ones, or a box lies outside the frame.</exception>
    public void Add<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, IReadOnlyList<CellFeatures> frameCells)
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(frameCells);
        if (!raw.Shape.SequenceEqual(labels.Shape))
        {
            throw new ArgumentException("The raw and label frames differ in shape.", nameof(labels));
        }

        if (frameCells.Count == 0)
        {
            return;
        }

        var frame = frameCells[0].Frame;
        if (frameCells.Any(c => c is null || c.Frame != frame))
        {
            throw new ArgumentException($"The cells of one frame must all be non-null and of frame {frame}.", nameof(frameCells));
        }

        if (cells.Count > 0 && cells[^1].Frame >= frame)
        {
            throw new ArgumentException($"Frame {frame} comes after frame {cells[^1].Frame}; add frames in time order.", nameof(frameCells));
        }

        foreach (var cell in frameCells.OrderBy(c => c.Label))
        {
            var (min, max) = (cell.BoundingBoxMin, cell.BoundingBoxMax);
            if (min.Z < 0 || min.Y < 0 || min.X < 0 || max.Z > raw.Depth || max.Y > raw.Height || max.X > raw.Width)
            {
                throw new ArgumentException($"The box of cell {cell.Label} of frame {frame} lies outside the {raw.Width}×{raw.Height}×{raw.Depth} frame.", nameof(frameCells));
            }

            cells.Add(cell);
            crops.Add(Crop.Cut(raw, labels, cell));
        }
    }

    /// <summary>Builds a cell's patch (<see cref="CellPatchExtractor.Extract"/>'s result on the full frames).</summary>
    /// <param name="index">The cell's index in <see cref="Cells"/>.</param>
    /// <param name="settings">Intensity range and size.</param>
    /// <returns>Row-major float32 values of the ROI's extent.</returns>
    /// <exception cref="ArgumentException">The cell exceeds the pad extent.</exception>
    public float[] Patch(int index, CellPatchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CellPatchExtractor.Assemble(crops[index], cells[index], settings);
    }

    /// <summary>The sequence's intensity range and largest extent (<see cref="CellSequenceStatistics.Of"/> of <see cref="Cells"/>).</summary>
    /// <returns>The statistics.</returns>
    public CellSequenceStatistics Statistics() => CellSequenceStatistics.Of(cells);

    /// <summary>A bounding-box crop: the raw values and which voxels are the cell's.</summary>
    private readonly struct Crop(float[] values, bool[] inside, (int Z, int Y, int X) extent) : CellPatchExtractor.ICellVoxels
    {
        public static Crop Cut<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, CellFeatures cell)
            where TRaw : unmanaged, INumberBase<TRaw>
            where TLabel : unmanaged, IBinaryInteger<TLabel>
        {
            var (min, extent) = (cell.BoundingBoxMin, cell.Extent);
            var values = new float[extent.Z * extent.Y * extent.X];
            var inside = new bool[values.Length];
            var label = TLabel.CreateTruncating(cell.Label);
            var i = 0;
            for (var z = 0; z < extent.Z; z++)
            {
                for (var y = 0; y < extent.Y; y++)
                {
                    var rawRow = raw.Row(min.Z + z, min.Y + y).Slice(min.X, extent.X);
                    var labelRow = labels.Row(min.Z + z, min.Y + y).Slice(min.X, extent.X);
                    for (var x = 0; x < extent.X; x++, i++)
                    {
                        inside[i] = labelRow[x] == label;
                        values[i] = inside[i] ? float.CreateTruncating(rawRow[x]) : 0f;
                    }
                }
            }

            return new Crop(values, inside, extent);
        }

        public bool Inside(int z, int y, int x, out double value)
        {
            var i = (((z * extent.Y) + y) * extent.X) + x;
            value = values[i];
            return inside[i];
        }
    }
}
