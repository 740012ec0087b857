using CellVision.Core.Annotations;
using CellVision.Core.Spatial;

namespace CellVision.Detection;

/// <summary>
/// Merges predicted nuclei into a timepoint of the annotations as ELEPHANT's client does after each prediction
/// (<c>PredictSpotsAction</c>, specs/elephant.md §4.4), with its "keep the larger volume" rule working.
/// </summary>
/// <remarks>
/// <para>At timepoint t, among the spots inside <see cref="SuppressionOptions.CropBox"/> (all spots when it is null):</para>
/// <list type="number">
/// <item>Spots the model found before lose that status until it finds them again: tp → fn, fp → tn, fb → tb.</item>
/// <item>Spots with detection tag <see cref="DetectionTag.Unlabeled"/> whose tracking tag is not
/// <see cref="TrackingTag.Approved"/> (the previous prediction's nuclei) are removed with their links.</item>
/// <item>Each predicted nucleus, in order, looks for the nearest spot at t (centre to centre, physical units; spots added
/// or refitted by earlier predictions of this call included, the crop box ignored). If none lies closer than
/// <see cref="SuppressionOptions.SuppressionDistance"/> the nucleus is added (detection and tracking tags unlabelled,
/// quality set). Otherwise it is dropped and the spot is re-tagged: fn → tp, tn → fp, tb → fb (tp, fp and fb stay). If
/// that spot is unlabelled and not approved (a nucleus this call added, or a prediction outside the crop box), the
/// larger ellipsoid wins: when the prediction's volume (∝ √det Σ) is strictly larger, the spot is refitted to it —
/// its centre, covariance and quality become the prediction's, while its identifier, tags, label, tag sets and links
/// stay. An unlabelled spot with an approved tracking tag is kept as it is, unless
/// <see cref="SuppressionOptions.RefitApprovedSpots"/> asks to refit it too.</item>
/// </list>
/// <para>ELEPHANT meant the same volume rule but computes both volumes as 0 (its product starts from 0), so it never
/// refits and duplicate predictions within the suppression distance keep the first one's shape.</para>
/// </remarks>
public static class SpotSuppressor
{
    /// <summary>The timepoints a prediction at <paramref name="current"/> covers: the last <see cref="SuppressionOptions.TimeRange"/> up to it, from 0.</summary>
    /// <param name="current">The current timepoint.</param>
    /// <param name="options">The time range; null for ELEPHANT's default (10).</param>
    public static IReadOnlyList<int> Timepoints(int current, SuppressionOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(current);
        options = Validate(options);
        var first = Math.Max(0, current - (options.TimeRange - 1));
        return Enumerable.Range(first, current - first + 1).ToArray();
    }

    /// <summary>Predicts and merges every timepoint of the range ending at <paramref name="current"/>, earliest first.</summary>
    /// <param name="graph">The annotations.</param>
    /// <param name="current">The current timepoint.</param>
    /// <param name="detect">Predicts the nuclei of a timepoint.</param>
    /// <param name="options">Suppression distance, time range and crop box; null for ELEPHANT's defaults.</param>
    /// <param name="cancellationToken">Stops between timepoints; timepoints done stay merged.</param>
    /// <returns>What was done at each timepoint, in order.</returns>
    public static IReadOnlyList<SuppressionResult> Update(LineageGraph graph, int current, Func<int, IEnumerable<DetectedSpot>> detect, SuppressionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(detect);
        var results = new List<SuppressionResult>();
        foreach (var timepoint in Timepoints(current, options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(Apply(graph, timepoint, detect(timepoint), options));
        }

        return results;
    }

    /// <summary>Merges the nuclei predicted at one timepoint into the annotations (see the remarks of <see cref="SpotSuppressor"/>).</summary>
    /// <param name="graph">The annotations.</param>
    /// <param name="timepoint">The predicted timepoint.</param>
    /// <param name="predicted">The predicted nuclei, merged in order.</param>
    /// <param name="options">Suppression distance and crop box; null for ELEPHANT's defaults.</param>
    public static SuppressionResult Apply(LineageGraph graph, int timepoint, IEnumerable<DetectedSpot> predicted, SuppressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentOutOfRangeException.ThrowIfNegative(timepoint);
        options = Validate(options);
        var nuclei = predicted.ToArray();
        if (nuclei.Any(n => n is null || n.Covariance is not { Length: 9 }))
        {
            throw new ArgumentException("Every predicted nucleus needs a 3×3 covariance.", nameof(predicted));
        }

        var box = options.CropBox;
        bool Inside(Spot s) => box is not PhysicalBox b || b.Contains(s.X, s.Y, s.Z);

        var relabelled = 0;
        foreach (var spot in graph.SpotsAt(timepoint).Where(Inside))
        {
            var tag = spot.DetectionTag switch
            {
                DetectionTag.TruePositive => DetectionTag.FalseNegative,
                DetectionTag.FalsePositive => DetectionTag.TrueNegative,
                DetectionTag.FalseBorder => DetectionTag.TrueBorder,
                var same => same,
            };
            relabelled += tag != spot.DetectionTag ? 1 : 0;
            spot.DetectionTag = tag;
        }

        var stale = graph.SpotsAt(timepoint).Where(s => Inside(s) && s.DetectionTag == DetectionTag.Unlabeled && s.TrackingTag != TrackingTag.Approved).ToArray();
        foreach (var spot in stale)
        {
            graph.RemoveSpot(spot);
        }

        var grid = new SpotGrid(options.SuppressionDistance);
        foreach (var spot in graph.SpotsAt(timepoint))
        {
            grid.Add(spot);
        }

        int confirmed = 0, suppressed = 0, refitted = 0, added = 0;
        foreach (var nucleus in nuclei)
        {
            var nearest = grid.NearestWithin(nucleus.X, nucleus.Y, nucleus.Z);
            if (nearest is null)
            {
                grid.Add(graph.AddDetectedSpot(timepoint, nucleus));
                added++;
                continue;
            }

            var retag = nearest.DetectionTag switch
            {
                DetectionTag.FalseNegative => DetectionTag.TruePositive,
                DetectionTag.TrueNegative => DetectionTag.FalsePositive,
                DetectionTag.TrueBorder => DetectionTag.FalseBorder,
                var same => same,
            };
            if (retag != nearest.DetectionTag)
            {
                nearest.DetectionTag = retag;
                confirmed++;
            }

            var covariance = DetectionAnnotations.CovarianceOf(nucleus);
            if (nearest.DetectionTag == DetectionTag.Unlabeled
                && (nearest.TrackingTag != TrackingTag.Approved || options.RefitApprovedSpots)
                && Determinant(covariance) > Determinant(nearest.Covariance))
            {
                var (x, y, z) = (nearest.X, nearest.Y, nearest.Z);
                nearest.X = nucleus.X;
                nearest.Y = nucleus.Y;
                nearest.Z = nucleus.Z;
                nearest.Covariance = covariance;
                nearest.Quality = nucleus.Quality;
                grid.Move(nearest, x, y, z);
                refitted++;
            }
            else
            {
                suppressed++;
            }
        }

        return new SuppressionResult(relabelled, stale.Length, confirmed, suppressed, refitted, added);
    }

    /// <summary>det Σ: the squared volume of the ellipsoid up to (4π/3)², which orders ellipsoids by volume.</summary>
    internal static double Determinant(Covariance3 c) =>
        (c.XX * ((c.YY * c.ZZ) - (c.YZ * c.YZ))) - (c.XY * ((c.XY * c.ZZ) - (c.YZ * c.XZ))) + (c.XZ * ((c.XY * c.YZ) - (c.YY * c.XZ)));

    private static SuppressionOptions Validate(SuppressionOptions? options)
    {
        options ??= new SuppressionOptions();
        if (!(options.SuppressionDistance >= 0) || double.IsPositiveInfinity(options.SuppressionDistance))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SuppressionDistance, "The suppression distance must be finite and not negative.");
        }

        if (options.TimeRange < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TimeRange, "The time range must be at least 1.");
        }

        return options;
    }
}
