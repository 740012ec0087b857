using CellVision.Core.Volumes;
using CellVision.IO.Ctc;
using CellVision.IO.Tiff;

namespace CellVision.Evaluation.Tests.Ctc;

/// <summary>Writes small CTC label frames for the tests.</summary>
internal static class CtcLabelFiles
{
    /// <summary>Writes a label frame given as planes of rows (<c>[z][y][x]</c>).</summary>
    public static void Write<T>(string folder, string prefix, int frame, T[][][] planes)
        where T : unmanaged
    {
        using var volume = Volume(planes);
        CtcSequence.WriteFrame(folder, prefix, frame, 100, volume, TiffCompression.None);
    }

    /// <summary>Writes a 2-D label frame given as rows.</summary>
    public static void Write<T>(string folder, string prefix, int frame, T[][] rows)
        where T : unmanaged => Write(folder, prefix, frame, [rows]);

    /// <summary>Writes a label file with an explicit name (e.g. man_seg_000_001.tif).</summary>
    public static void WriteNamed<T>(string folder, string name, T[][] rows)
        where T : unmanaged
    {
        using var volume = Volume([rows]);
        TiffWriter.Write(System.IO.Path.Combine(folder, name), volume);
    }

    public static Volume<T> Volume<T>(T[][][] planes)
        where T : unmanaged
    {
        var volume = new Volume<T>(planes.Length, planes[0].Length, planes[0][0].Length);
        for (var z = 0; z < planes.Length; z++)
        {
            for (var y = 0; y < planes[z].Length; y++)
            {
                planes[z][y].CopyTo(volume.Row(z, y));
            }
        }

        return volume;
    }
}
