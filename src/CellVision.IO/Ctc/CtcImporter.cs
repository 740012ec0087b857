using System.Globalization;
using System.Numerics;
using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.IO.Ctc;

/// <summary>Options of <see cref="CtcImporter"/>.</summary>
public sealed record CtcImportOptions
{
    /// <summary>The physical voxel size; null to take it from the first mask's ImageJ metadata, or 1 µm when it has none.</summary>
    public VoxelSize? VoxelSize { get; init; }

    /// <summary>
    /// Accept a label that is absent from some frames inside its track's B … E (or frames whose file is missing): the
    /// spots around the hole are linked directly. False (the default) rejects such folders as the CTC tools do.
    /// </summary>
    public bool AllowGaps { get; init; }

    /// <summary>Frames read at once; 0 or less for the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// Reads a Cell Tracking Challenge folder (label masks and the <c>L B E P</c> track file) into a
/// <see cref="LineageGraph"/>: one spot per label and frame, links along each track, and a link from each parent
/// track's last spot to its child's first.
/// </summary>
/// <remarks>
/// <para>Folders: a result (<c>maskTTT.tif</c> + <c>res_track.txt</c>), a TRA folder (<c>man_trackTTT.tif</c> +
/// <c>man_track.txt</c>), or a ground truth folder holding <c>TRA</c>. Masks are 8-, 16- or 32-bit, 2-D or 3-D.</para>
/// <para>A spot sits at its label's centroid (voxel centres × voxel size, in µm, origin at voxel 0). Its covariance is
/// that of the solid ellipsoid with the label's second moments: the voxel-centre covariance plus s²/12 per axis (the
/// spread inside one voxel), times 5 in 3-D or 4 in 2-D (a solid ellipsoid with semi-axis a has variance a²/5 along it,
/// an ellipse a²/4), so its eigenvalues are squared radii as in ELEPHANT. A 2-D label (depth-1 masks) gets Z variance
/// r₁·r₂, a sphere-like thickness, and Z = 0. Each spot's <see cref="Spot.Label"/> is its track label.</para>
/// </remarks>
public static class CtcImporter
{
    /// <summary>Reads a CTC folder.</summary>
    /// <param name="folder">A result folder, a TRA folder, or a ground truth folder with <c>TRA</c>.</param>
    /// <param name="options">Voxel size and gap tolerance; null for the defaults.</param>
    /// <param name="progress">Receives (stage, frames read, frames).</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    /// <returns>The lineages.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no track file.</exception>
    /// <exception cref="CtcFormatException">A mask is unreadable or the masks differ in shape.</exception>
    /// <exception cref="CtcConsistencyException">The track file disagrees with the masks.</exception>
    public static LineageGraph Import(string folder, CtcImportOptions? options = null, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new CtcImportOptions();
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The CTC folder {folder} does not exist.");
        }

        var (maskFolder, prefix, trackFile) = Locate(folder);
        var tracks = CtcTrackFile.Read(trackFile);
        var sequence = CtcSequence.Open(maskFolder, prefix);
        var frames = sequence.Frames.ToArray();
        var moments = new Dictionary<int, Moments>[frames.Length];
        var shapes = new (int Depth, int Height, int Width)[frames.Length];
        VoxelSize? fileVoxelSize = null;
        ParallelFrames.Run(frames.Length, options.MaxDegreeOfParallelism, "reading masks", progress, n =>
        {
            var name = sequence.Prefix + frames[n].ToString("D" + sequence.Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".tif";
            using var frame = LabelFrame.Read(Path.Combine(maskFolder, name));
            shapes[n] = (frame.Depth, frame.Height, frame.Width);
            moments[n] = frame.Volume switch
            {
                Volume<byte> v => Measure(v),
                Volume<ushort> v => Measure(v),
                Volume<uint> v => Measure(v),
                _ => throw new InvalidOperationException("Unexpected label volume type."),
            };
            if (n == 0)
            {
                fileVoxelSize = frame.VoxelSize;
            }
        }, cancellationToken);

        var odd = Array.FindIndex(shapes, s => s != shapes[0]);
        if (odd >= 0)
        {
            throw new CtcFormatException(maskFolder, $"frame {frames[odd]}", $"is {shapes[odd].Width}×{shapes[odd].Height}×{shapes[odd].Depth} but frame {frames[0]} is {shapes[0].Width}×{shapes[0].Height}×{shapes[0].Depth}.");
        }

        var perFrame = new Dictionary<int, Dictionary<int, Moments>>();
        for (var n = 0; n < frames.Length; n++)
        {
            perFrame[frames[n]] = moments[n];
        }

        var issues = CtcValidator.Validate(tracks, perFrame.ToDictionary(p => p.Key, p => (IReadOnlySet<int>)p.Value.Keys.ToHashSet()))
            .Where(i => !options.AllowGaps || i.Kind is not (CtcIssueKind.MissingFromFrame or CtcIssueKind.MissingFrameFile))
            .ToArray();
        if (issues.Length > 0)
        {
            throw new CtcConsistencyException(maskFolder, issues);
        }

        var voxelSize = (options.VoxelSize ?? fileVoxelSize ?? VoxelSize.Unit).Validate();
        var is2D = shapes.Length > 0 && shapes[0].Depth == 1;
        var graph = new LineageGraph();
        var firstSpot = new Dictionary<int, Spot>();
        var lastSpot = new Dictionary<int, Spot>();
        foreach (var track in tracks.OrderBy(t => t.Begin).ThenBy(t => t.Label))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Spot? previous = null;
            for (var t = track.Begin; t <= track.End; t++)
            {
                if (!perFrame.TryGetValue(t, out var labels) || !labels.TryGetValue(track.Label, out var m))
                {
                    continue;
                }

                var (x, y, z, covariance) = m.Ellipsoid(voxelSize, is2D);
                var spot = graph.AddSpot(t, x, y, z, covariance);
                spot.Label = track.Label.ToString(CultureInfo.InvariantCulture);
                if (previous is null)
                {
                    firstSpot[track.Label] = spot;
                }
                else
                {
                    graph.AddLink(previous, spot);
                }

                previous = spot;
            }

            if (previous is not null)
            {
                lastSpot[track.Label] = previous;
            }
        }

        foreach (var track in tracks.Where(t => t.Parent != 0))
        {
            if (lastSpot.TryGetValue(track.Parent, out var parent) && firstSpot.TryGetValue(track.Label, out var child))
            {
                graph.AddLink(parent, child);
            }
        }

        return graph;
    }

    private static (string MaskFolder, string Prefix, string TrackFile) Locate(string folder)
    {
        if (File.Exists(Path.Combine(folder, "res_track.txt")))
        {
            return (folder, "mask", Path.Combine(folder, "res_track.txt"));
        }

        if (File.Exists(Path.Combine(folder, "man_track.txt")))
        {
            return (folder, "man_track", Path.Combine(folder, "man_track.txt"));
        }

        var tra = Path.Combine(folder, "TRA");
        if (File.Exists(Path.Combine(tra, "man_track.txt")))
        {
            return (tra, "man_track", Path.Combine(tra, "man_track.txt"));
        }

        throw new FileNotFoundException($"{folder} has no track file (res_track.txt, man_track.txt or TRA/man_track.txt).", Path.Combine(folder, "res_track.txt"));
    }

    /// <summary>Per-label voxel counts and first and second moments of the voxel indices, summed run by run along X.</summary>
    private static Dictionary<int, Moments> Measure<T>(Volume<T> volume)
        where T : unmanaged, IBinaryInteger<T>
    {
        var result = new Dictionary<int, Moments>();
        for (var z = 0; z < volume.Depth; z++)
        {
            for (var y = 0; y < volume.Height; y++)
            {
                var row = volume.Row(z, y);
                var x = 0;
                while (x < row.Length)
                {
                    var value = row[x];
                    var end = x + 1;
                    while (end < row.Length && row[end] == value)
                    {
                        end++;
                    }

                    if (value != T.Zero)
                    {
                        var label = int.CreateChecked(value);
                        if (!result.TryGetValue(label, out var m))
                        {
                            result[label] = m = new Moments();
                        }

                        m.AddRun(z, y, x, end - 1);
                    }

                    x = end;
                }
            }
        }

        return result;
    }

    /// <summary>Exact integer sums of a label's voxel indices and their products.</summary>
    private sealed class Moments
    {
        private long n;
        private long sx;
        private long sy;
        private long sz;
        private long sxx;
        private long syy;
        private long szz;
        private long sxy;
        private long sxz;
        private long syz;

        /// <summary>Adds voxels x0 … x1 of row (z, y).</summary>
        internal void AddRun(long z, long y, long x0, long x1)
        {
            var count = x1 - x0 + 1;
            var sumX = (x0 + x1) * count / 2;
            var sumXX = SumOfSquares(x1) - SumOfSquares(x0 - 1);
            n += count;
            sx += sumX;
            sy += y * count;
            sz += z * count;
            sxx += sumXX;
            syy += y * y * count;
            szz += z * z * count;
            sxy += y * sumX;
            sxz += z * sumX;
            syz += y * z * count;
        }

        /// <summary>Centre (µm) and the covariance of the solid ellipsoid with these moments (see <see cref="CtcImporter"/>).</summary>
        internal (double X, double Y, double Z, Covariance3 Covariance) Ellipsoid(VoxelSize size, bool is2D)
        {
            double count = n;
            var (mx, my, mz) = (sx / count, sy / count, sz / count);
            var cxx = ((sxx / count) - (mx * mx) + (1.0 / 12)) * size.X * size.X;
            var cyy = ((syy / count) - (my * my) + (1.0 / 12)) * size.Y * size.Y;
            var czz = ((szz / count) - (mz * mz) + (1.0 / 12)) * size.Z * size.Z;
            var cxy = ((sxy / count) - (mx * my)) * size.X * size.Y;
            var cxz = ((sxz / count) - (mx * mz)) * size.X * size.Z;
            var cyz = ((syz / count) - (my * mz)) * size.Y * size.Z;
            Covariance3 covariance;
            if (is2D)
            {
                // Semi-axis² = 4 × variance for a solid ellipse; Z gets r1·r2 = √det of the in-plane part.
                var (xx, xy, yy) = (4 * cxx, 4 * cxy, 4 * cyy);
                covariance = new Covariance3(xx, xy, 0, yy, 0, Math.Sqrt(Math.Max((xx * yy) - (xy * xy), 0)));
            }
            else
            {
                covariance = new Covariance3(5 * cxx, 5 * cxy, 5 * cxz, 5 * cyy, 5 * cyz, 5 * czz);
            }

            var (x, y, z) = size.ToPhysical(mz, my, mx);
            return (x, y, is2D ? 0 : z, covariance);
        }

        private static long SumOfSquares(long k) => k < 0 ? 0 : k * (k + 1) * ((2 * k) + 1) / 6;
    }
}
