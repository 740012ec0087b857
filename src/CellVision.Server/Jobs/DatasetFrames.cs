using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.Server.Http;

namespace CellVision.Server.Jobs;

/// <summary>Frames of a dataset's ELEPHANT arrays (T, [Z,] Y, X [, C]); 2-D datasets read as one-plane volumes.</summary>
internal static class DatasetFrames
{
    /// <summary>Opens an array of the dataset, or refuses the request when the dataset was never generated.</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="name">The array, e.g. <c>imgs.zarr</c>.</param>
    public static ZarrArray Open(string datasetFolder, string name)
    {
        var path = Path.Combine(datasetFolder, name);
        if (!File.Exists(Path.Combine(path, ".zarray")))
        {
            throw new ElephantRequestException($"{path} is not found; check and generate the dataset first.");
        }

        return ZarrArray.Open(path);
    }

    /// <summary>Recreates an array empty: same metadata, no chunks, no attributes (ELEPHANT's label reset).</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="name">The array.</param>
    public static void Recreate(string datasetFolder, string name)
    {
        var metadata = Open(datasetFolder, name).Metadata;
        var path = Path.Combine(datasetFolder, name);
        Directory.Delete(path, recursive: true);
        ZarrArray.Create(path, metadata);
    }

    /// <summary>(Z, Y, X) of one frame; Z = 1 for 2-D data.</summary>
    /// <param name="images">The images array (T, [Z,] Y, X).</param>
    public static (int Depth, int Height, int Width) Shape(ZarrArray images) => images.Rank == 4
        ? ((int)images.Shape[1], (int)images.Shape[2], (int)images.Shape[3])
        : (1, (int)images.Shape[1], (int)images.Shape[2]);

    /// <summary>The box of frame <paramref name="t"/> of an array whose first axis is time.</summary>
    /// <param name="array">The array.</param>
    /// <param name="t">The timepoint.</param>
    public static Box Frame(ZarrArray array, int t)
    {
        if (t < 0 || t >= array.Shape[0])
        {
            throw new ElephantRequestException($"timepoint {t} is outside the dataset's {array.Shape[0]} timepoint(s).");
        }

        long[] start = [t, .. new long[array.Rank - 1]];
        long[] size = [1, .. array.Shape.Skip(1)];
        return new Box(start, size);
    }

    /// <summary>Reads frame <paramref name="t"/> of <c>imgs.zarr</c> (uint8 or uint16) as 16-bit voxels.</summary>
    /// <param name="images">The images array.</param>
    /// <param name="t">The timepoint.</param>
    /// <param name="voxelSize">The voxel size the request sent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static Volume<ushort> Read(ZarrArray images, int t, VoxelSize voxelSize, CancellationToken cancellationToken)
    {
        var (depth, height, width) = Shape(images);
        var box = Frame(images, t);
        var volume = new Volume<ushort>(depth, height, width, voxelSize);
        try
        {
            if (images.ElementSize == 2)
            {
                images.Read(box, volume.Span, cancellationToken: cancellationToken);
            }
            else
            {
                var bytes = images.Read<byte>(box, cancellationToken: cancellationToken);
                var span = volume.Span;
                for (var i = 0; i < bytes.Length; i++)
                {
                    span[i] = bytes[i];
                }
            }

            return volume;
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    /// <summary>The voxel size of the request's <c>scales</c> ([x, y, z] µm; 2-D sends [x, y]).</summary>
    /// <param name="scales">The scales.</param>
    public static VoxelSize VoxelSize(double[] scales)
    {
        if (scales.Any(s => !(s > 0)))
        {
            throw new ElephantRequestException("scales must be positive numbers.");
        }

        return new VoxelSize(scales[0], scales[1], scales.Length > 2 ? scales[2] : 1);
    }
}
