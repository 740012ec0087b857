using System.Text.Json;
using CellVision.Core.Volumes;
using CellVision.IO.Ctc;
using CellVision.Tests.Shared;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>
/// The golden cases of Golden/Ctc/ctc_golden.json (made by make_ctc_golden.py with the official py-ctcmetrics) and a
/// ground truth folder built once from the first frames of Fluo-N2DH-SIM+ 01: TRA frames and the truncated
/// man_track.txt, and SEG copies of some TRA frames.
/// </summary>
public sealed class CtcGoldenFixture : IDisposable
{
    public CtcGoldenFixture()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Ctc", "ctc_golden.json")));
        var root = document.RootElement;
        Frames = root.GetProperty("frames").GetInt32();
        Cases = root.GetProperty("cases").EnumerateArray().Select(GoldenCase.Parse).ToDictionary(c => c.Name);
        Source = SharedData.PathOf("ctc-fluo-n2dh-sim-01-tra", "TRA");
        Folder = Directory.CreateTempSubdirectory("ctc-golden-").FullName;
        GroundTruth = Path.Combine(Folder, "01_GT");
        var tra = Path.Combine(GroundTruth, "TRA");
        var seg = Path.Combine(GroundTruth, "SEG");
        Directory.CreateDirectory(tra);
        Directory.CreateDirectory(seg);
        for (var t = 0; t < Frames; t++)
        {
            File.Copy(Path.Combine(Source, CtcSequence.FileName("man_track", t, 100)), Path.Combine(tra, CtcSequence.FileName("man_track", t, 100)));
        }

        foreach (var t in root.GetProperty("seg_frames").EnumerateArray().Select(e => e.GetInt32()))
        {
            File.Copy(Path.Combine(Source, CtcSequence.FileName("man_track", t, 100)), Path.Combine(seg, CtcSequence.FileName("man_seg", t, 100)));
        }

        CtcTrackFile.Write(Path.Combine(tra, "man_track.txt"), GoldenCase.Tracks(root.GetProperty("gt_track")));
    }

    /// <summary>Frames of the subset.</summary>
    public int Frames { get; }

    /// <summary>The golden cases by name.</summary>
    public IReadOnlyDictionary<string, GoldenCase> Cases { get; }

    /// <summary>The full TRA folder in shared/data.</summary>
    public string Source { get; }

    /// <summary>The temporary folder.</summary>
    public string Folder { get; }

    /// <summary>The 01_GT folder of the subset.</summary>
    public string GroundTruth { get; }

    /// <summary>Writes the result folder of a case: the ground truth masks with the case's operations applied, and its res_track.txt.</summary>
    public string WriteResult(GoldenCase golden)
    {
        var folder = Path.Combine(Folder, golden.Name + "_RES");
        if (Directory.Exists(folder))
        {
            return folder;
        }

        var partial = folder + ".partial";
        var sequence = CtcSequence.Open(Source, "man_track");
        for (var t = 0; t < Frames; t++)
        {
            using var mask = sequence.ReadFrame<ushort>(t);
            foreach (var op in golden.Ops.Where(o => o.Frame == t))
            {
                op.Apply(mask);
            }

            CtcSequence.WriteFrame(partial, "mask", t, Frames, mask, IO.Tiff.TiffCompression.None);
        }

        CtcTrackFile.Write(Path.Combine(partial, "res_track.txt"), golden.ResultTracks);
        Directory.Move(partial, folder);
        return folder;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>One golden case: the operations that make the result from the ground truth, its track file and the reference numbers.</summary>
public sealed record GoldenCase(string Name, bool Valid, IReadOnlyList<GoldenOp> Ops, IReadOnlyList<CtcTrack> ResultTracks, IReadOnlyDictionary<string, double> Expected)
{
    internal static GoldenCase Parse(JsonElement element)
    {
        var expected = element.TryGetProperty("expected", out var values)
            ? values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())
            : new Dictionary<string, double>();
        return new GoldenCase(
            element.GetProperty("name").GetString()!,
            element.GetProperty("valid").GetBoolean(),
            element.GetProperty("ops").EnumerateArray().Select(GoldenOp.Parse).ToArray(),
            Tracks(element.GetProperty("res_track")),
            expected);
    }

    internal static CtcTrack[] Tracks(JsonElement lines) =>
        lines.EnumerateArray().Select(l => l.EnumerateArray().Select(v => v.GetInt32()).ToArray()).Select(v => new CtcTrack(v[0], v[1], v[2], v[3])).ToArray();

    public override string ToString() => Name;
}

/// <summary>A mask operation of make_ctc_golden.py, applied to one frame.</summary>
public sealed record GoldenOp(string Kind, int Frame, int Label, int To, int Y, int X, int Radius, int Count)
{
    internal static GoldenOp Parse(JsonElement e)
    {
        int Get(string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : 0;
        return new GoldenOp(e.GetProperty("op").GetString()!, Get("frame"), Get("label"), Get("to"), Get("y"), Get("x"), Get("r"), Get("count"));
    }

    internal void Apply(Volume<ushort> mask)
    {
        var span = mask.Span;
        switch (Kind)
        {
            case "erase":
                span.Replace((ushort)Label, (ushort)0);
                break;
            case "relabel":
                span.Replace((ushort)Label, (ushort)To);
                break;
            case "disk":
                for (var y = Math.Max(0, Y - Radius); y <= Math.Min(mask.Height - 1, Y + Radius); y++)
                {
                    for (var x = Math.Max(0, X - Radius); x <= Math.Min(mask.Width - 1, X + Radius); x++)
                    {
                        if (((y - Y) * (y - Y)) + ((x - X) * (x - X)) <= Radius * Radius && mask[0, y, x] == 0)
                        {
                            mask[0, y, x] = (ushort)Label;
                        }
                    }
                }

                break;
            case "keep_first":
                var kept = 0;
                for (var i = 0; i < span.Length; i++)
                {
                    if (span[i] == Label && kept++ >= Count)
                    {
                        span[i] = 0;
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown golden operation {Kind}.");
        }
    }
}
