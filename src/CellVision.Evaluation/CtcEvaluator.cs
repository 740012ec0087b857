using System.Globalization;
using System.Text.RegularExpressions;
using CellVision.IO.Ctc;

namespace CellVision.Evaluation;

/// <summary>
/// The Cell Tracking Challenge measures TRA, DET, SEG and LNK (and OP_CTB, OP_CSB) of a result folder against a ground
/// truth folder, as the official tools compute them (java-ctcmetrics <c>TRA</c>, <c>DET</c>, <c>SEG</c>;
/// py-ctcmetrics 1.3.2 gives the same numbers).
/// </summary>
/// <remarks>
/// <para>Layout: the ground truth folder (<c>01_GT</c>) holds <c>TRA/man_trackTTT.tif</c> with <c>TRA/man_track.txt</c>
/// and optionally <c>SEG/man_segTTT.tif</c> or, for 3-D data annotated in single planes, <c>SEG/man_seg_TTT_ZZZ.tif</c>;
/// a folder holding <c>man_track.txt</c> itself is taken as the TRA folder. The result folder (<c>01_RES</c>) holds
/// <c>maskTTT.tif</c> and <c>res_track.txt</c>. Masks are 8-, 16- or 32-bit label images, 2-D or multi-page 3-D.</para>
/// <para>Vertex matching per frame: reference object R matches result object S when |R ∩ S| &gt; 0.5·|R| (strict).
/// FN are unmatched reference vertices, FP result vertices matching nothing, NS = Σ (k − 1) over result vertices
/// matching k ≥ 2 reference vertices. Edges are track links (a label to itself in the next frame) and parent links
/// (from the parent track's last vertex to the child's first when P ≠ 0; the child may begin several frames after
/// the parent ends). Only result edges whose two ends match exactly one reference vertex are compared: ED are those
/// with no reference edge, EC those whose reference edge has the other type; EA are reference edges with no result
/// edge between their uniquely matched counterparts.</para>
/// <para>The ground truth TRA frames must be numbered 0 … N − 1 and the result must have exactly those mask frames
/// (py-ctcmetrics requires as many result masks as ground truth frames). A track file must agree with its masks: every
/// label present in each frame B … E of its track and nowhere else, every parent listed and ending before its child
/// begins. The official tools reject a label that is absent from a frame inside its B … E (java-ctcmetrics stops,
/// py-ctcmetrics reports the result invalid); this evaluator throws <see cref="CtcConsistencyException"/>. Gaps must be
/// written as a new track whose parent is the track before the gap. Empty frames are allowed.</para>
/// </remarks>
public static partial class CtcEvaluator
{
    /// <summary>Evaluates a result folder against a ground truth folder.</summary>
    /// <param name="groundTruthFolder">The <c>XX_GT</c> folder (with <c>TRA</c> and optionally <c>SEG</c>), or a TRA folder.</param>
    /// <param name="resultFolder">The <c>XX_RES</c> folder.</param>
    /// <param name="options">What to compute; null for TRA, DET, LNK and SEG (when SEG ground truth exists).</param>
    /// <param name="progress">Receives (stage, frames done, frames) from worker threads.</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    /// <returns>The measures and the list of errors.</returns>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A track file or a result mask is missing.</exception>
    /// <exception cref="CtcFormatException">Frames are missing or extra, shapes differ, a mask is not an integer image, or no reference object was found.</exception>
    /// <exception cref="CtcConsistencyException">A track file disagrees with its masks.</exception>
    public static CtcEvaluation Evaluate(string groundTruthFolder, string resultFolder, CtcEvaluationOptions? options = null, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groundTruthFolder);
        ArgumentException.ThrowIfNullOrEmpty(resultFolder);
        options ??= new CtcEvaluationOptions();
        options.Weights.Validate();
        if (!Directory.Exists(groundTruthFolder))
        {
            throw new DirectoryNotFoundException($"The ground truth folder {groundTruthFolder} does not exist.");
        }

        if (!Directory.Exists(resultFolder))
        {
            throw new DirectoryNotFoundException($"The result folder {resultFolder} does not exist.");
        }

        var traFolder = Directory.Exists(Path.Combine(groundTruthFolder, "TRA")) ? Path.Combine(groundTruthFolder, "TRA")
            : File.Exists(Path.Combine(groundTruthFolder, "man_track.txt")) ? groundTruthFolder : null;
        var segFolder = Path.Combine(groundTruthFolder, "SEG");
        var segFiles = options.Segmentation && Directory.Exists(segFolder) ? SegFiles(segFolder) : [];
        if (!options.Tracking && !options.Detection && segFiles.Count == 0)
        {
            throw new ArgumentException(options.Segmentation
                ? $"Nothing to evaluate: tracking and detection are off and {segFolder} holds no man_seg*.tif files."
                : "Nothing to evaluate: tracking, detection and segmentation are all off.", nameof(options));
        }

        var scores = new CtcScores();
        var errors = CtcErrorReport.Empty;
        CtcSequence? results = null;
        if (options.Tracking || options.Detection)
        {
            if (traFolder is null)
            {
                throw new DirectoryNotFoundException($"{groundTruthFolder} has no TRA folder (TRA/man_track.txt and TRA/man_trackTTT.tif).");
            }

            results = CtcSequence.Open(resultFolder, "mask");
            (scores, errors) = EvaluateTracking(traFolder, resultFolder, results, options, progress, cancellationToken);
        }

        if (segFiles.Count > 0)
        {
            results ??= CtcSequence.Open(resultFolder, "mask");
            var objects = EvaluateSegmentation(segFiles, results, options, progress, cancellationToken);
            var seg = objects.Sum(o => o.Jaccard) / objects.Count;
            scores = scores with
            {
                Seg = seg,
                SegmentationObjects = objects.Count,
                OpCtb = scores.Tra is { } tra ? (0.5 * seg) + (0.5 * tra) : null,
                OpCsb = scores.Det is { } det ? (0.5 * seg) + (0.5 * det) : null,
            };
            errors = errors with { SegmentationObjects = options.CollectErrors ? objects : [] };
        }

        return new CtcEvaluation(scores, errors);
    }

    private static (CtcScores Scores, CtcErrorReport Errors) EvaluateTracking(string traFolder, string resultFolder, CtcSequence results, CtcEvaluationOptions options, IProgress<CtcProgress>? progress, CancellationToken cancellationToken)
    {
        var reference = CtcSequence.Open(traFolder, "man_track");
        var frameCount = reference.Frames.Count;
        var expected = Enumerable.Range(0, frameCount).ToArray();
        if (!reference.Frames.SequenceEqual(expected))
        {
            var missing = expected.Except(reference.Frames).First();
            throw new CtcFormatException(traFolder, FileName(reference, missing), $"the ground truth frames must be numbered 0 … {frameCount - 1} without holes; frame {missing} is missing.");
        }

        var absent = expected.Except(results.Frames).ToArray();
        if (absent.Length > 0)
        {
            throw new CtcFormatException(resultFolder, FileName(results, absent[0]), $"the result lacks {absent.Length} of the {frameCount} ground truth frames, the first being frame {absent[0]}.");
        }

        var extra = results.Frames.Except(expected).ToArray();
        if (extra.Length > 0)
        {
            throw new CtcFormatException(resultFolder, FileName(results, extra[0]), $"the result has {extra.Length} mask frame(s) beyond the {frameCount} ground truth frames, the first being frame {extra[0]}.");
        }

        IReadOnlyList<CtcTrack> gtTracks = [];
        IReadOnlyList<CtcTrack> resTracks = [];
        if (options.Tracking)
        {
            gtTracks = ReadTracks(Path.Combine(traFolder, "man_track.txt"));
            resTracks = ReadTracks(Path.Combine(resultFolder, "res_track.txt"));
        }

        var overlaps = new FrameOverlap[frameCount];
        ParallelFrames.Run(frameCount, options.MaxDegreeOfParallelism, "matching frames", progress, t =>
        {
            using var gt = LabelFrame.Read(Path.Combine(traFolder, FileName(reference, t)));
            using var res = LabelFrame.Read(Path.Combine(resultFolder, FileName(results, t)));
            if (!gt.SameShape(res))
            {
                throw new CtcFormatException(res.Path, "shape", $"the result mask is {res.ShapeText} but the ground truth frame {gt.Path} is {gt.ShapeText}.");
            }

            overlaps[t] = FrameOverlap.Compute(gt, res);
        }, cancellationToken);

        var graph = new AogmGraph(overlaps, options.CollectErrors);
        graph.CountVertices();
        var referenceVertices = overlaps.Sum(o => o.GtLabels.Length);
        if (referenceVertices == 0)
        {
            throw new CtcFormatException(traFolder, "man_track*.tif", "no reference (GT) object was found in any frame.");
        }

        var weights = options.Weights;
        var scores = new CtcScores
        {
            Frames = frameCount,
            ReferenceVertices = referenceVertices,
            ResultVertices = overlaps.Sum(o => o.ResLabels.Length),
        };
        if (options.Tracking)
        {
            CheckConsistency(traFolder, gtTracks, overlaps, o => o.GtLabels);
            CheckConsistency(resultFolder, resTracks, overlaps, o => o.ResLabels);
            graph.CountEdges(gtTracks, resTracks);
            var counts = graph.Counts;
            var referenceEdges = gtTracks.Sum(t => t.End - t.Begin) + gtTracks.Count(t => t.Parent != 0);
            var aogm = counts.Aogm(weights);
            var aogmEmpty = (weights.FalseNegative * referenceVertices) + (weights.MissingEdge * referenceEdges);
            var linkingEmpty = weights.MissingEdge * referenceEdges;
            scores = scores with
            {
                Counts = counts,
                ReferenceEdges = referenceEdges,
                Aogm = aogm,
                AogmEmpty = aogmEmpty,
                Tra = Normalise(aogm, aogmEmpty),
                Lnk = linkingEmpty > 0 ? Normalise(counts.LinkingAogm(weights), linkingEmpty) : null,
            };
        }
        else
        {
            scores = scores with { Counts = graph.Counts };
        }

        var detectionAogm = scores.Counts.DetectionAogm(weights);
        var detectionEmpty = weights.FalseNegative * referenceVertices;
        scores = scores with
        {
            DetectionAogm = detectionAogm,
            DetectionAogmEmpty = detectionEmpty,
            Det = options.Detection ? Normalise(detectionAogm, detectionEmpty) : null,
        };
        return (scores, graph.Report());
    }

    /// <summary>1 − min(aogm, empty)/empty, as TRA.java and tra.py compute it.</summary>
    private static double Normalise(double aogm, double empty) => 1 - (Math.Min(aogm, empty) / empty);

    private static IReadOnlyList<CtcTrack> ReadTracks(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The track file {path} is missing (tracking measures need it; set Tracking = false to score masks only).", path);
        }

        return CtcTrackFile.Read(path);
    }

    private static void CheckConsistency(string folder, IReadOnlyList<CtcTrack> tracks, FrameOverlap[] overlaps, Func<FrameOverlap, uint[]> labels)
    {
        var perFrame = new Dictionary<int, IReadOnlySet<int>>();
        for (var t = 0; t < overlaps.Length; t++)
        {
            perFrame[t] = labels(overlaps[t]).Select(l => (int)l).ToHashSet();
        }

        var issues = CtcValidator.Validate(tracks, perFrame);
        if (issues.Count > 0)
        {
            throw new CtcConsistencyException(folder, issues);
        }
    }

    private static List<CtcSegmentationObject> EvaluateSegmentation(IReadOnlyList<SegFile> files, CtcSequence results, CtcEvaluationOptions options, IProgress<CtcProgress>? progress, CancellationToken cancellationToken)
    {
        var perFile = new List<CtcSegmentationObject>[files.Count];
        ParallelFrames.Run(files.Count, options.MaxDegreeOfParallelism, "segmentation", progress, n =>
        {
            var file = files[n];
            if (!results.Frames.Contains(file.Frame))
            {
                throw new FileNotFoundException($"The result mask of frame {file.Frame} ({FileName(results, file.Frame)}), needed for SEG ground truth {file.Path}, is missing from {results.Folder}.", Path.Combine(results.Folder, FileName(results, file.Frame)));
            }

            using var gt = LabelFrame.Read(file.Path);
            using var res = LabelFrame.Read(Path.Combine(results.Folder, FileName(results, file.Frame)));
            FrameOverlap overlap;
            if (file.Slice is { } slice)
            {
                if (gt.Depth != 1)
                {
                    throw new CtcFormatException(file.Path, "shape", $"a single-plane SEG ground truth must be 2-D, not {gt.ShapeText}.");
                }

                if (slice >= res.Depth)
                {
                    throw new CtcFormatException(file.Path, "slice", $"names plane {slice} but the result mask {res.Path} has {res.Depth} plane(s).");
                }

                if (gt.Height != res.Height || gt.Width != res.Width)
                {
                    throw new CtcFormatException(res.Path, "shape", $"the result planes are {res.Width}×{res.Height} but the SEG ground truth {file.Path} is {gt.ShapeText}.");
                }

                overlap = FrameOverlap.ComputeWithPlane(gt, res, slice);
            }
            else
            {
                if (!gt.SameShape(res))
                {
                    throw new CtcFormatException(res.Path, "shape", $"the result mask is {res.ShapeText} but the SEG ground truth {file.Path} is {gt.ShapeText}.");
                }

                overlap = FrameOverlap.Compute(gt, res);
            }

            var objects = new List<CtcSegmentationObject>(overlap.GtLabels.Length);
            for (var i = 0; i < overlap.GtLabels.Length; i++)
            {
                var match = overlap.GtMatch[i];
                objects.Add(new CtcSegmentationObject(file.Frame, file.Slice, (int)overlap.GtLabels[i], match < 0 ? 0 : (int)overlap.ResLabels[match], overlap.Jaccard(i)));
            }

            perFile[n] = objects;
        }, cancellationToken);

        var all = perFile.SelectMany(o => o).ToList();
        if (all.Count == 0)
        {
            throw new CtcFormatException(Path.GetDirectoryName(files[0].Path) ?? files[0].Path, "man_seg*.tif", "no reference (GT) object was found in any SEG file.");
        }

        return all;
    }

    private static List<SegFile> SegFiles(string folder)
    {
        var files = new List<SegFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "man_seg*.tif"))
        {
            var match = SegPattern().Match(Path.GetFileName(path));
            if (!match.Success)
            {
                continue;
            }

            var frame = int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, CultureInfo.InvariantCulture);
            int? slice = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : null;
            files.Add(new SegFile(path, frame, slice));
        }

        return files.OrderBy(f => f.Frame).ThenBy(f => f.Slice ?? -1).ToList();
    }

    private static string FileName(CtcSequence sequence, int frame) =>
        sequence.Prefix + frame.ToString("D" + sequence.Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".tif";

    /// <summary><c>man_segTTT.tif</c>, <c>man_seg_TTT.tif</c> or <c>man_seg_TTT_ZZZ.tif</c> (3 or 4 digits).</summary>
    [GeneratedRegex(@"^man_seg(?:(\d{3,4})|_(\d{3,4})(?:_(\d{3,4}))?)\.tif$")]
    private static partial Regex SegPattern();

    private sealed record SegFile(string Path, int Frame, int? Slice);
}
