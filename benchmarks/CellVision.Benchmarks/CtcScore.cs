using System.Diagnostics;
using CellVision.IO.Ctc;
using CellVision.IO.Tiff;
using CellVision.Evaluation;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>ctc-score</c>: TRA + DET scoring time of a whole CTC sequence (by default the 65 frames of Fluo-N2DH-SIM+ 01)
/// against itself and against a deterministically perturbed copy (tracks cut short, tracks split with a parent link,
/// an extra object per frame), the median of several rounds. Options: <c>--data</c> (a folder holding <c>TRA</c>),
/// <c>--rounds</c>, <c>--threads</c>, <c>--keep DIR</c> (write the result folders there and keep them).
/// </summary>
internal static class CtcScore
{
    internal static int Run(string data, int rounds, int threads, string? keep)
    {
        var tra = Path.Combine(data, "TRA");
        var temp = keep ?? Directory.CreateTempSubdirectory("ctc-score-").FullName;
        try
        {
            var identity = Path.Combine(temp, "identity_RES");
            var perturbed = Path.Combine(temp, "perturbed_RES");
            var frames = WriteResults(tra, identity, perturbed);
            var evaluation = new CtcEvaluationOptions { Segmentation = false, CollectErrors = false, MaxDegreeOfParallelism = threads };
            var (identitySeconds, identityScores) = Time(() => CtcEvaluator.Evaluate(data, identity, evaluation).Scores, rounds);
            var (perturbedSeconds, perturbedScores) = Time(() => CtcEvaluator.Evaluate(data, perturbed, evaluation).Scores, rounds);
            Console.WriteLine(FormattableString.Invariant(
                $"cellvision_ctc_score frames={frames} threads={(threads > 0 ? threads : Environment.ProcessorCount)} identity_s={identitySeconds:F4} identity_tra={identityScores.Tra:F6} identity_det={identityScores.Det:F6} perturbed_s={perturbedSeconds:F4} perturbed_tra={perturbedScores.Tra:F6} perturbed_det={perturbedScores.Det:F6} perturbed_aogm={perturbedScores.Aogm}"));
            return 0;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Writes the ground truth as a result, and a perturbed result: tracks with label ≡ 0 (mod 5) end at mid-life, tracks ≡ 1 (mod 5) continue under a new label (parent = old) from mid-life on, and every frame gets a 3×3 object in its top-left corner.</summary>
    private static int WriteResults(string tra, string identity, string perturbed)
    {
        var sequence = CtcSequence.Open(tra, "man_track");
        var tracks = CtcTrackFile.Read(Path.Combine(tra, "man_track.txt"));
        var next = tracks.Max(t => t.Label) + 1;
        var cut = tracks.Where(t => t.Label % 5 == 0 && t.End > t.Begin).ToDictionary(t => t.Label, t => (t.Begin + t.End + 1) / 2);
        var split = tracks.Where(t => t.Label % 5 == 1 && t.End > t.Begin).ToDictionary(t => t.Label, t => (Mid: (t.Begin + t.End + 1) / 2, New: next++));
        var frameCount = sequence.Frames.Count;
        var extra = new List<CtcTrack>();
        foreach (var t in sequence.Frames)
        {
            using var mask = sequence.ReadFrame<ushort>(t);
            CtcSequence.WriteFrame(identity, "mask", t, frameCount, mask, TiffCompression.None);
            var span = mask.Span;
            for (var i = 0; i < span.Length; i++)
            {
                var label = span[i];
                if (cut.TryGetValue(label, out var end) && t >= end)
                {
                    span[i] = 0;
                }
                else if (split.TryGetValue(label, out var s) && t >= s.Mid)
                {
                    span[i] = (ushort)s.New;
                }
            }

            var free = true;
            for (var y = 0; y < 3; y++)
            {
                for (var x = 0; x < 3; x++)
                {
                    free &= mask[0, y, x] == 0;
                }
            }

            if (free)
            {
                var label = next++;
                for (var y = 0; y < 3; y++)
                {
                    for (var x = 0; x < 3; x++)
                    {
                        mask[0, y, x] = (ushort)label;
                    }
                }

                extra.Add(new CtcTrack(label, t, t, 0));
            }

            CtcSequence.WriteFrame(perturbed, "mask", t, frameCount, mask, TiffCompression.None);
        }

        CtcTrackFile.Write(Path.Combine(identity, "res_track.txt"), tracks);
        var newParent = split.ToDictionary(p => p.Key, p => p.Value.New);
        var result = new List<CtcTrack>();
        foreach (var track in tracks)
        {
            var parent = newParent.GetValueOrDefault(track.Parent, track.Parent);
            if (cut.TryGetValue(track.Label, out var end))
            {
                result.Add(track with { End = end - 1, Parent = parent });
            }
            else if (split.TryGetValue(track.Label, out var s))
            {
                result.Add(track with { End = s.Mid - 1, Parent = parent });
                result.Add(new CtcTrack(s.New, s.Mid, track.End, track.Label));
            }
            else
            {
                result.Add(track with { Parent = parent });
            }
        }

        CtcTrackFile.Write(Path.Combine(perturbed, "res_track.txt"), result.Concat(extra));
        return frameCount;
    }

    private static (double Seconds, T Result) Time<T>(Func<T> action, int rounds)
    {
        var result = action();
        var samples = new double[rounds];
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            result = action();
            samples[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        return (samples[rounds / 2], result);
    }
}
