using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;
using CellVision.IO.Ctc;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.Cli.Demo;

/// <summary>Writes the demo movie as BigDataViewer XML/HDF5, as a T,Z,Y,X Zarr array and as Cell Tracking Challenge ground truth.</summary>
internal static class DemoData
{
    internal static (string Bdv, string Zarr, string GroundTruth) Write(SyntheticTimeLapse movie, string folder, CancellationToken cancellationToken)
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        var bdv = Path.Combine(data, "movie.xml");
        BdvWriter.Write(bdv, movie.Images, new BdvWriteOptions { Levels = 1 }, cancellationToken: cancellationToken);

        var zarr = Path.Combine(data, "movie.zarr");
        var first = movie.Images[0];
        var array = ZarrArray.Create<ushort>(zarr, [movie.Images.Count, first.Depth, first.Height, first.Width], [1, first.Depth, first.Height, first.Width], ZarrCompressor.Default, overwrite: true);
        for (var t = 0; t < movie.Images.Count; t++)
        {
            array.Write<ushort>(new Box([t, 0, 0, 0], [1, first.Depth, first.Height, first.Width]), movie.Images[t].Span, cancellationToken: cancellationToken);
        }

        var groundTruth = Directory.CreateDirectory(Path.Combine(folder, "ctc", "01_GT", "TRA")).FullName;
        for (var t = 0; t < movie.Masks.Count; t++)
        {
            CtcSequence.WriteFrame(groundTruth, "man_track", t, movie.Masks.Count, movie.Masks[t]);
        }

        CtcTrackFile.Write(Path.Combine(groundTruth, "man_track.txt"),
            movie.Tracklets.Select(t => new CtcTrack(t.Label, t.Begin, t.End, t.Parent?.Label ?? 0)));
        return (bdv, zarr, groundTruth);
    }
}
