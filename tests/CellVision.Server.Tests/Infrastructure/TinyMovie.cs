using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;

namespace CellVision.Server.Tests.Infrastructure;

/// <summary>
/// A tiny BDV movie written by the library: 3 timepoints of 8 × 32 × 32 voxels of 1 × 1 × 2 µm, two bright nuclei
/// (radius 4 µm) on a dark background, moving one voxel in X per timepoint.
/// </summary>
internal static class TinyMovie
{
    public const int Timepoints = 3;
    public const int Depth = 8;
    public const int Height = 32;
    public const int Width = 32;
    public static readonly VoxelSize VoxelSize = new(1, 1, 2);

    /// <summary>Nucleus centres (x, y, z) in µm at timepoint t.</summary>
    public static (double X, double Y, double Z)[] Nuclei(int t) => [(10 + t, 10, 8), (22 + t, 21, 8)];

    /// <summary>The HDF5 file's bytes (the XML is not uploaded by the client).</summary>
    public static byte[] Hdf5()
    {
        using var folder = new TemporaryFolder();
        var frames = Enumerable.Range(0, Timepoints).Select(Frame).ToList();
        try
        {
            BdvWriter.Write(folder["tiny.xml"], frames);
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }

        return File.ReadAllBytes(folder["tiny.h5"]);
    }

    /// <summary>Timepoint t.</summary>
    public static Volume<ushort> Frame(int t)
    {
        var volume = new Volume<ushort>(Depth, Height, Width, VoxelSize);
        for (var z = 0; z < Depth; z++)
        {
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    var value = 10.0;
                    foreach (var (cx, cy, cz) in Nuclei(t))
                    {
                        var d2 = Math.Pow(x - cx, 2) + Math.Pow(y - cy, 2) + Math.Pow((z * 2) - cz, 2);
                        value += 200 * Math.Exp(-d2 / (2 * 3.0 * 3.0));
                    }

                    volume[z, y, x] = (ushort)Math.Min(255, value);
                }
            }
        }

        return volume;
    }
}
