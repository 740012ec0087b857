using System.Runtime.InteropServices;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;
using CellVision.IO.Hdf5;

namespace CellVision.IO.Elephant;

/// <summary>Conversion of a BigDataViewer HDF5 file without its XML, as ELEPHANT's server receives it from the client.</summary>
public sealed partial class ElephantDataset
{
    /// <summary>
    /// Converts setup 0, level 0 of a BigDataViewer HDF5 file (no XML needed) to <c>imgs.zarr</c>, creating the whole
    /// layout, as ELEPHANT's server does with an uploaded file: timepoints are <c>/t00000/s00/0/cells</c>,
    /// <c>/t00001/s00/0/cells</c>, … up to the first one missing; values become <c>floor(raw / divisor)</c>. Bytes after
    /// the HDF5 end-of-file address (the padding of ELEPHANT's chunked upload) are ignored.
    /// </summary>
    /// <param name="hdf5Path">The BDV HDF5 file (a master file with external links, or a single file).</param>
    /// <param name="folder">The dataset folder.</param>
    /// <param name="isUInt16">uint16 images; null decides as ELEPHANT's server does (uint16 when any raw value exceeds 255).</param>
    /// <param name="divisor">Divisor of raw values (ELEPHANT default 1).</param>
    /// <param name="is2D">Keep only the first Z plane.</param>
    /// <param name="overflow">What to do with values beyond the type's range (default clip; ELEPHANT wraps).</param>
    /// <param name="progress">Receives (timepoints done, total).</param>
    /// <param name="cancellationToken">Stops between timepoints.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="BdvFormatException">The file holds no <c>/t00000/s00/0/cells</c> dataset.</exception>
    public static ElephantDataset ConvertFromBdvHdf5(string hdf5Path, string folder, bool? isUInt16 = null, double divisor = 1.0, bool is2D = false, ElephantOverflow overflow = ElephantOverflow.Clip, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        RequireDivisor(divisor);
        using var file = Hdf5File.Open(hdf5Path);
        var count = 0;
        while (file.Exists(BdvImage.CellsPath(count, 0, 0)))
        {
            count++;
        }

        if (count == 0)
        {
            throw new BdvFormatException(hdf5Path, BdvImage.CellsPath(0, 0, 0), "is missing; is this a BigDataViewer HDF5 file?");
        }

        // Files without a dataType attribute store uint16 as int16 (BDV's legacy form): reinterpret bit for bit.
        var legacy = file.ReadStringAttribute(BdvImage.SetupGroup(0), "dataType") is null;
        var frameShape = file.GetShape(BdvImage.CellsPath(0, 0, 0));
        Volume<ushort> Read(int t, Box? region)
        {
            var box = region ?? Box.FromShape(frameShape);
            var volume = new Volume<ushort>((int)box.Size[0], (int)box.Size[1], (int)box.Size[2]);
            try
            {
                if (legacy)
                {
                    file.Read(BdvImage.CellsPath(t, 0, 0), box, MemoryMarshal.Cast<ushort, short>(volume.Span));
                }
                else
                {
                    file.Read(BdvImage.CellsPath(t, 0, 0), box, volume.Span);
                }

                return volume;
            }
            catch
            {
                volume.Dispose();
                throw;
            }
        }

        return ConvertFrames(folder, count, frameShape, Read, isUInt16, divisor, is2D, overflow, progress, cancellationToken);
    }
}
