using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>
/// Computes the GNN tracker's hand-crafted per-cell features (<see cref="CellFeatures"/>) from a raw frame and its
/// instance-label image, with the semantics of scikit-image 0.19's <c>regionprops</c> applied to each label's binary
/// mask, as the reference does.
/// </summary>
/// <remarks>
/// <para>
/// All labels are measured in one pass over the voxels. A label is one region even when its voxels are not
/// connected (the reference measures <c>seg == L</c>). Results are ordered by ascending label (<c>np.unique</c>
/// order). A frame without labels gives no cells. A 2-D frame is a volume of depth 1.
/// </para>
/// <para>
/// Intensities are read as <see cref="double"/>: for integer frames the mean is the reference's to the last bit; for
/// <see cref="float"/> frames it is computed in double precision where numpy would average in single precision.
/// </para>
/// </remarks>
public static class CellFeatureExtractor
{
    /// <summary>Measures every labelled cell of a frame (inference: no track ids).</summary>
    /// <typeparam name="TRaw">The raw voxel type (byte, ushort, float, …).</typeparam>
    /// <typeparam name="TLabel">The label type (ushort, uint, …); labels must lie in 0 … 4,294,967,295.</typeparam>
    /// <param name="raw">The raw frame.</param>
    /// <param name="labels">The instance labels (0 = background), same shape as <paramref name="raw"/>.</param>
    /// <param name="frame">The frame number (≥ 0) written into every row.</param>
    /// <returns>One row per label, ascending.</returns>
    /// <exception cref="ArgumentNullException">An image is missing.</exception>
    /// <exception cref="ArgumentException">The shapes differ or a label is negative or too large.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frame"/> is negative.</exception>
    public static IReadOnlyList<CellFeatures> Extract<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, int frame)
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        Validate(raw, labels, frame);
        var regions = Accumulate<TRaw, TLabel, TLabel>(raw, labels, null);
        return [.. regions.Select(region => region.ToFeatures(frame, DimensionsOf(labels), 0))];
    }

    /// <summary>
    /// Measures every labelled cell of a frame and gives it its ground-truth track id (training): the label of
    /// <paramref name="trackMarkers"/> (e.g. <c>man_trackT.tif</c>) that covers most of the cell's voxels, background
    /// ignored, the smallest label on a tie. Cells that no marker overlaps are dropped, as the reference drops them.
    /// </summary>
    /// <typeparam name="TRaw">The raw voxel type.</typeparam>
    /// <typeparam name="TLabel">The label type.</typeparam>
    /// <typeparam name="TMarker">The marker label type.</typeparam>
    /// <param name="raw">The raw frame.</param>
    /// <param name="labels">The instance labels, same shape as <paramref name="raw"/>.</param>
    /// <param name="trackMarkers">The ground-truth track markers, same shape.</param>
    /// <param name="frame">The frame number (≥ 0).</param>
    /// <returns>One row per label that overlaps a marker, ascending, with <see cref="CellFeatures.TrackId"/> set.</returns>
    /// <exception cref="ArgumentNullException">An image is missing.</exception>
    /// <exception cref="ArgumentException">The shapes differ or a label or marker is negative or too large.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frame"/> is negative.</exception>
    public static IReadOnlyList<CellFeatures> ExtractWithTrackIds<TRaw, TLabel, TMarker>(
        Volume<TRaw> raw, Volume<TLabel> labels, Volume<TMarker> trackMarkers, int frame)
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
        where TMarker : unmanaged, IBinaryInteger<TMarker>
    {
        Validate(raw, labels, frame);
        ArgumentNullException.ThrowIfNull(trackMarkers);
        RequireSameShape(labels, trackMarkers, "track-marker image", nameof(trackMarkers));
        var regions = Accumulate<TRaw, TLabel, TMarker>(raw, labels, trackMarkers);
        var cells = new List<CellFeatures>(regions.Count);
        foreach (var region in regions)
        {
            var trackId = region.DominantMarker();
            if (trackId != 0)
            {
                cells.Add(region.ToFeatures(frame, DimensionsOf(labels), trackId));
            }
        }

        return cells;
    }

    private static int DimensionsOf<T>(Volume<T> volume)
        where T : unmanaged => volume.Depth == 1 ? 2 : 3;

    private static void Validate<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, int frame)
        where TRaw : unmanaged
        where TLabel : unmanaged
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        RequireSameShape(labels, raw, "raw frame", nameof(raw));
    }

    private static void RequireSameShape<TLabel, TOther>(Volume<TLabel> labels, Volume<TOther> other, string what, string parameter)
        where TLabel : unmanaged
        where TOther : unmanaged
    {
        if (other.Depth != labels.Depth || other.Height != labels.Height || other.Width != labels.Width)
        {
            throw new ArgumentException(
                $"The {what} is {other.Depth}×{other.Height}×{other.Width} (Z×Y×X) but the label image is {labels.Depth}×{labels.Height}×{labels.Width}; they must have the same shape.",
                parameter);
        }
    }

    /// <summary>One pass over the voxels, run by run along X; returns the regions by ascending label.</summary>
    private static List<RegionMoments> Accumulate<TRaw, TLabel, TMarker>(Volume<TRaw> raw, Volume<TLabel> labels, Volume<TMarker>? markers)
        where TRaw : unmanaged, INumberBase<TRaw>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
        where TMarker : unmanaged, IBinaryInteger<TMarker>
    {
        var regions = new Dictionary<uint, RegionMoments>();
        RegionMoments? last = null;
        var lastLabel = TLabel.Zero;
        for (var z = 0; z < labels.Depth; z++)
        {
            for (var y = 0; y < labels.Height; y++)
            {
                ReadOnlySpan<TLabel> labelRow = labels.Row(z, y);
                ReadOnlySpan<TRaw> rawRow = raw.Row(z, y);
                var markerRow = markers is null ? default : (ReadOnlySpan<TMarker>)markers.Row(z, y);
                var x = 0;
                while (x < labelRow.Length)
                {
                    var skip = labelRow[x..].IndexOfAnyExcept(TLabel.Zero);
                    if (skip < 0)
                    {
                        break;
                    }

                    x += skip;
                    var value = labelRow[x];
                    var length = labelRow[x..].IndexOfAnyExcept(value);
                    length = length < 0 ? labelRow.Length - x : length;
                    if (last is null || value != lastLabel)
                    {
                        var label = ToLabel(value, "label image", nameof(labels), z, y, x);
                        if (!regions.TryGetValue(label, out last))
                        {
                            last = new RegionMoments(label);
                            regions.Add(label, last);
                        }

                        lastLabel = value;
                    }

                    last.AddRun(z, y, x, length);
                    foreach (var intensity in rawRow.Slice(x, length))
                    {
                        last.AddIntensity(double.CreateTruncating(intensity));
                    }

                    if (markers is not null)
                    {
                        CountMarkers(last, markerRow.Slice(x, length), z, y, x);
                    }

                    x += length;
                }
            }
        }

        return [.. regions.Values.OrderBy(region => region.Label)];
    }

    private static void CountMarkers<TMarker>(RegionMoments region, ReadOnlySpan<TMarker> run, int z, int y, int x0)
        where TMarker : unmanaged, IBinaryInteger<TMarker>
    {
        var x = 0;
        while (x < run.Length)
        {
            var value = run[x];
            var length = run[x..].IndexOfAnyExcept(value);
            length = length < 0 ? run.Length - x : length;
            if (value != TMarker.Zero)
            {
                region.AddMarker(ToLabel(value, "track-marker image", "trackMarkers", z, y, x0 + x), length);
            }

            x += length;
        }
    }

    private static uint ToLabel<T>(T value, string what, string parameter, int z, int y, int x)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (T.IsNegative(value) || value > T.CreateSaturating(uint.MaxValue))
        {
            throw new ArgumentException(
                $"The {what} holds {value} at voxel (z {z}, y {y}, x {x}); labels must lie in 0 … {uint.MaxValue}.", parameter);
        }

        return uint.CreateTruncating(value);
    }
}
