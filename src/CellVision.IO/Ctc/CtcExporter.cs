using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.IO.Ctc;

/// <summary>What <see cref="CtcExporter.Export"/> wrote.</summary>
/// <param name="Tracks">The track file's lines, in the order written (labels from 1).</param>
/// <param name="Labels">The CTC label of every exported spot.</param>
/// <param name="FirstFrame">The first frame written.</param>
/// <param name="LastFrame">The last frame written (−1 when the graph is empty and no last frame was given).</param>
/// <param name="LostSpots">Exported spots whose label ended up absent from their frame because later spots covered every one of its voxels; each makes the folder inconsistent for the CTC tools.</param>
public sealed record CtcExportResult(IReadOnlyList<CtcTrack> Tracks, IReadOnlyDictionary<Spot, int> Labels, int FirstFrame, int LastFrame, IReadOnlyList<Spot> LostSpots);

/// <summary>
/// Writes a <see cref="LineageGraph"/> as a Cell Tracking Challenge folder: one label mask per frame and the
/// <c>L B E P</c> track file.
/// </summary>
/// <remarks>
/// <para>Tracks: the graph's <see cref="LineageGraph.Tracklets"/> (branch-free chains, in order of first timepoint), each
/// cut wherever a link skips timepoints, because a CTC label must be present in every frame from B to E (the official
/// tools reject a track with a hole). The piece after a gap becomes a new track whose parent is the piece before it: the
/// CTC format allows a parent to end any number of frames before its child begins, the measures then count a parent
/// link across the gap, and the CTC convention (as py-ctcmetrics' <c>merge_tracks</c> assumes) reads a single-child
/// parent link as the same cell. A daughter's parent is the last piece of the dividing tracklet. A spot with several
/// incoming links (a merge, which CTC cannot express) starts a track without parent. Labels are numbered from 1 in that
/// order; more than 65535 tracks cannot be written. ELEPHANT numbers its tracks by a depth-first walk from each root and
/// writes a gap inside one track, which the CTC tools reject.</para>
/// <para>Masks, as ELEPHANT's server draws them (<c>export_ctc_labels</c>): every spot of a frame is drawn 16 times,
/// as the ellipsoid of its covariance (eigenvalues = squared radii) with radii × (1 − 0.05 i), i = 0 … 15, each shell
/// grown until it covers at least 20 voxels (ELEPHANT's ellipsoid rasterisation); all spots' shell i is drawn before
/// shell i + 1, so inner shells win over other spots' outer ones, and among equal shells the spot with the larger label
/// wins. Finally each spot's centre voxel (position ÷ voxel size, truncated) is set to its label. Masks are 16-bit with
/// ImageJ metadata; frames without spots are written blank.</para>
/// <para>With <see cref="CtcExportOptions.OnlyCompletedLineages"/>, only spots reachable from a root spot tagged
/// "Status" → "Completed" are exported, as ELEPHANT's client does. Spots outside [FirstFrame, LastFrame] are left out
/// and tracks clipped to that range.</para>
/// </remarks>
public static class CtcExporter
{
    /// <summary>Writes the masks and the track file.</summary>
    /// <param name="graph">The lineages.</param>
    /// <param name="folder">The folder to write (created if needed); for ground truth the <c>TRA</c> folder itself.</param>
    /// <param name="options">Voxel size, frame shape and what to export.</param>
    /// <param name="progress">Receives (stage, frames written, frames).</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    /// <returns>The tracks written and every spot's label.</returns>
    /// <exception cref="ArgumentException">The shape or frame range is invalid, or more than 65535 tracks would be written.</exception>
    public static CtcExportResult Export(LineageGraph graph, string folder, CtcExportOptions options, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(options);
        var voxelSize = options.VoxelSize.Validate();
        var (depth, height, width) = options.Shape;
        if (depth < 1 || height < 1 || width < 1)
        {
            throw new ArgumentException($"The frame shape {depth}×{height}×{width} must be positive.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.FirstFrame, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinimumVoxels, 1, nameof(options));
        var first = options.FirstFrame;
        var last = options.LastFrame ?? (graph.Timepoints.Any() ? graph.Timepoints.Max() : first - 1);
        if (last < first - 1)
        {
            throw new ArgumentException($"The last frame {last} comes before the first frame {first}.", nameof(options));
        }

        var (tracks, pieces) = BuildTracks(graph, first, last, options.OnlyCompletedLineages);
        var labels = new Dictionary<Spot, int>();
        foreach (var (label, spots) in pieces)
        {
            foreach (var spot in spots)
            {
                labels[spot] = label;
            }
        }

        var byFrame = labels.GroupBy(p => p.Key.Timepoint).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Value).ToArray());
        var prefix = options.Kind == CtcFolderKind.Result ? "mask" : "man_track";
        var frameCount = last + 1;
        var lost = new List<Spot>[Math.Max(0, last - first + 1)];
        Directory.CreateDirectory(folder);
        ParallelFrames.Run(lost.Length, options.MaxDegreeOfParallelism, "writing masks", progress, n =>
        {
            var t = first + n;
            using var mask = new Volume<ushort>(depth, height, width, voxelSize);
            var spots = byFrame.GetValueOrDefault(t, []);
            Draw(mask, spots, options.MinimumVoxels);
            lost[n] = Lost(mask, spots);
            CtcSequence.WriteFrame(folder, prefix, t, frameCount, mask, options.Compression);
        }, cancellationToken);

        CtcTrackFile.Write(Path.Combine(folder, options.Kind == CtcFolderKind.Result ? "res_track.txt" : "man_track.txt"), tracks);
        return new CtcExportResult(tracks, labels, first, last, lost.SelectMany(l => l).ToArray());
    }

    /// <summary>Draws the spots of one frame into a mask, ELEPHANT's way (see the class remarks): 16 shrinking shells per spot (ELEPHANT: at least 20 voxels each), then each centre voxel.</summary>
    /// <param name="mask">The frame (its voxel size converts positions).</param>
    /// <param name="spots">Spots and their labels, in drawing order.</param>
    /// <param name="minimumVoxels">Smallest shell size.</param>
    public static void Draw(Volume<ushort> mask, IReadOnlyList<KeyValuePair<Spot, int>> spots, int minimumVoxels)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(spots);
        var voxelSize = mask.VoxelSize;
        double[] scales = [voxelSize.Z, voxelSize.Y, voxelSize.X];
        int[] dims = [mask.Depth, mask.Height, mask.Width];
        var shapes = spots.Select(p => Shape(p.Key)).ToArray();
        var raster = new EllipsoidRaster();
        var span = mask.Span;
        Span<double> radii = stackalloc double[3];
        for (var shell = 0; shell < 16; shell++)
        {
            var factor = 1 - (0.05 * shell);
            for (var n = 0; n < spots.Count; n++)
            {
                var (centre, baseRadii, rotation) = shapes[n];
                for (var k = 0; k < 3; k++)
                {
                    radii[k] = baseRadii[k] * factor;
                }

                raster.Fill(span, (ushort)spots[n].Value, centre, radii, rotation, scales, dims, minimumVoxels);
            }
        }

        foreach (var (spot, label) in spots)
        {
            // Python's int(): truncation towards zero. A centre outside the frame is skipped (numpy would wrap a
            // negative index around).
            var z = (int)(spot.Z / voxelSize.Z);
            var y = (int)(spot.Y / voxelSize.Y);
            var x = (int)(spot.X / voxelSize.X);
            if (z >= 0 && z < mask.Depth && y >= 0 && y < mask.Height && x >= 0 && x < mask.Width)
            {
                mask[z, y, x] = (ushort)label;
            }
        }
    }

    /// <summary>Centre (z, y, x), radii and rotation of a spot's ellipsoid, as ELEPHANT's <c>np.linalg.eigh</c> on the Z, Y, X covariance.</summary>
    private static (double[] Centre, double[] Radii, double[] Rotation) Shape(Spot spot)
    {
        var xyz = spot.Covariance.ToRowMajor();
        var zyx = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                zyx[(i * 3) + j] = xyz[((2 - i) * 3) + (2 - j)];
            }
        }

        var (values, vectors) = SymmetricEigen.Decompose(zyx);
        return ([spot.Z, spot.Y, spot.X], values.Select(v => Math.Sqrt(Math.Max(v, 0))).ToArray(), vectors);
    }

    private static List<Spot> Lost(Volume<ushort> mask, KeyValuePair<Spot, int>[] spots)
    {
        if (spots.Length == 0)
        {
            return [];
        }

        var present = new HashSet<int>();
        foreach (var value in mask.Span)
        {
            present.Add(value);
        }

        return spots.Where(p => !present.Contains(p.Value)).Select(p => p.Key).ToList();
    }

    /// <summary>The CTC tracks: tracklets clipped to the frame range and cut at gaps, with their spots.</summary>
    private static (List<CtcTrack> Tracks, List<(int Label, List<Spot> Spots)> Pieces) BuildTracks(LineageGraph graph, int first, int last, bool onlyCompleted)
    {
        var included = onlyCompleted ? CompletedLineages(graph) : null;
        var tracks = new List<CtcTrack>();
        var pieces = new List<(int Label, List<Spot> Spots)>();
        var lastPieceOf = new Dictionary<Tracklet, int>();
        foreach (var tracklet in graph.Tracklets())
        {
            var spots = tracklet.Spots.Where(s => s.Timepoint >= first && s.Timepoint <= last && (included is null || included.Contains(s))).ToList();
            if (spots.Count == 0)
            {
                continue;
            }

            var parent = tracklet.Parent is not null && lastPieceOf.TryGetValue(tracklet.Parent, out var parentLabel) ? parentLabel : 0;
            var start = 0;
            for (var i = 1; i <= spots.Count; i++)
            {
                if (i < spots.Count && spots[i].Timepoint == spots[i - 1].Timepoint + 1)
                {
                    continue;
                }

                var label = tracks.Count + 1;
                if (label > ushort.MaxValue)
                {
                    throw new ArgumentException($"The graph needs more than {ushort.MaxValue} CTC tracks, more than 16-bit masks can hold.", nameof(graph));
                }

                var piece = spots.GetRange(start, i - start);
                tracks.Add(new CtcTrack(label, piece[0].Timepoint, piece[^1].Timepoint, parent));
                pieces.Add((label, piece));
                parent = label;
                start = i;
            }

            lastPieceOf[tracklet] = tracks.Count;
        }

        return (tracks, pieces);
    }

    /// <summary>Spots reachable from a root spot tagged Status → Completed.</summary>
    private static HashSet<Spot> CompletedLineages(LineageGraph graph)
    {
        var reached = new HashSet<Spot>();
        var stack = new Stack<Spot>(graph.Spots.Where(s => s.Incoming.Count == 0 && s.HasTags
            && s.Tags.TryGetValue(CtcExportOptions.StatusTagSet, out var tag) && tag == CtcExportOptions.CompletedTag));
        while (stack.Count > 0)
        {
            var spot = stack.Pop();
            if (!reached.Add(spot))
            {
                continue;
            }

            foreach (var link in spot.Outgoing)
            {
                stack.Push(link.Target);
            }
        }

        return reached;
    }
}
