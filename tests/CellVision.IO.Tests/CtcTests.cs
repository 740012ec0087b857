using CellVision.Core.Volumes;
using CellVision.IO.Ctc;

namespace CellVision.IO.Tests;

/// <summary>Cell Tracking Challenge folders: the real TRA ground truth of Fluo-N2DH-SIM+ 01 reads and validates; damage is reported.</summary>
public sealed class CtcTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ctc-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void RealGroundTruthHasTheVerifiedLineageAndIsConsistent()
    {
        var tra = SharedData.PathOf("ctc-fluo-n2dh-sim-01-tra", "TRA");
        var tracks = CtcTrackFile.Read(Path.Combine(tra, "man_track.txt"));
        Assert.Equal(95, tracks.Count);
        Assert.Equal(59, tracks.Count(t => t.Parent != 0));
        Assert.Equal(28, tracks.Where(t => t.Parent != 0).GroupBy(t => t.Parent).Count(g => g.Count() == 2));

        var sequence = CtcSequence.Open(tra, "man_track");
        Assert.Equal(65, sequence.Frames.Count);
        Assert.Equal(3, sequence.Digits);
        Assert.Empty(CtcValidator.ValidateFolder(tra));
    }

    [Fact]
    public void ShortenedTrackAndWrongParentAreReported()
    {
        var tra = CopyGroundTruth();
        var tracks = CtcTrackFile.Read(Path.Combine(tra, "man_track.txt")).ToList();
        var first = tracks[0];
        tracks[0] = first with { End = first.End - 1 };
        var child = tracks.First(t => t.Parent != 0);
        tracks[tracks.IndexOf(child)] = child with { Parent = 9999 };
        CtcTrackFile.Write(Path.Combine(tra, "man_track.txt"), tracks);

        var issues = CtcValidator.ValidateFolder(tra);
        Assert.Contains(issues, i => i.Kind == CtcIssueKind.LabelOutsideTrack && i.Label == first.Label && i.Frame == first.End);
        Assert.Contains(issues, i => i.Kind == CtcIssueKind.UnknownParent && i.Label == child.Label);
    }

    [Fact]
    public void MissingLabelAndUnlistedLabelAreReported()
    {
        var tracks = new List<CtcTrack> { new(1, 0, 2, 0), new(2, 3, 3, 1) };
        var frames = new Dictionary<int, IReadOnlySet<int>>
        {
            [0] = new HashSet<int> { 1 },
            [1] = new HashSet<int>(),
            [2] = new HashSet<int> { 1, 7 },
        };
        var issues = CtcValidator.Validate(tracks, frames);
        Assert.Contains(issues, i => i.Kind == CtcIssueKind.MissingFromFrame && i.Label == 1 && i.Frame == 1);
        Assert.Contains(issues, i => i.Kind == CtcIssueKind.UnlistedLabel && i.Label == 7);
        Assert.Contains(issues, i => i.Kind == CtcIssueKind.MissingFrameFile && i.Label == 2 && i.Frame == 3);
    }

    [Fact]
    public void WrittenSequenceReadsBackAndValidates()
    {
        var res = Path.Combine(folder, "01_RES");
        for (var t = 0; t < 3; t++)
        {
            using var mask = new Volume<ushort>(2, 8, 9);
            mask[1, 2, 3] = 5;
            if (t > 0)
            {
                mask[0, 5, 5] = 6;
            }

            CtcSequence.WriteFrame(res, "mask", t, 3, mask);
        }

        CtcTrackFile.Write(Path.Combine(res, "res_track.txt"), [new(5, 0, 2, 0), new(6, 1, 2, 0)]);
        Assert.True(File.Exists(Path.Combine(res, "mask002.tif")));
        Assert.Empty(CtcValidator.ValidateFolder(res));
        using var frame = CtcSequence.Open(res, "mask").ReadFrame<ushort>(2);
        Assert.Equal((2, 8, 9), (frame.Depth, frame.Height, frame.Width));
        Assert.Equal(5, frame[1, 2, 3]);
    }

    [Fact]
    public void FrameNamesUseFourDigitsBeyond999Frames()
    {
        Assert.Equal("t007.tif", CtcSequence.FileName("t", 7, 999));
        Assert.Equal("mask0007.tif", CtcSequence.FileName("mask", 7, 1000));
    }

    [Fact]
    public void MalformedTrackLineNamesTheLine()
    {
        var path = Path.Combine(folder, "res_track.txt");
        File.WriteAllText(path, "1 0 3 0\n2 5 4 0\n");
        var exception = Assert.Throws<CtcFormatException>(() => CtcTrackFile.Read(path));
        Assert.Equal("line 2", exception.Field);
        File.WriteAllText(path, "1 0 x 0\n");
        Assert.Equal("line 1", Assert.Throws<CtcFormatException>(() => CtcTrackFile.Read(path)).Field);
    }

    private string CopyGroundTruth()
    {
        var source = SharedData.PathOf("ctc-fluo-n2dh-sim-01-tra", "TRA");
        var target = Path.Combine(folder, "TRA");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
