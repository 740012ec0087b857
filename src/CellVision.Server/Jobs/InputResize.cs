using CellVision.Server.Http;

namespace CellVision.Server.Jobs;

/// <summary>
/// ELEPHANT's <c>input_size</c> (the image size times the client's rescale factors): images are resampled by
/// input_size / image size per axis before the network, the scales divided by that factor and a crop box's origin
/// moved to ⌊origin × factor⌋ on the resampled grid (<c>common.py detect_spots</c>).
/// </summary>
internal static class InputResize
{
    /// <summary>The (Z, Y, X) factors input_size / image size; (1, 1, 1) without input_size or for a 2-D image's Z.</summary>
    /// <param name="inputSize">The request's <c>input_size</c> [x, y, z], or null.</param>
    /// <param name="depth">The image depth (1 for 2-D images).</param>
    /// <param name="height">The image height.</param>
    /// <param name="width">The image width.</param>
    /// <param name="is3D">Whether the images have a Z axis.</param>
    /// <exception cref="ElephantRequestException">400: a size below 1.</exception>
    public static (double Depth, double Height, double Width) Factor(int[]? inputSize, int depth, int height, int width, bool is3D)
    {
        if (inputSize is null)
        {
            return (1, 1, 1);
        }

        if (inputSize.Any(s => s < 1))
        {
            throw new ElephantRequestException($"input_size [{string.Join(", ", inputSize)}] must be positive");
        }

        return (is3D ? (double)inputSize[2] / depth : 1, (double)inputSize[1] / height, (double)inputSize[0] / width);
    }

    /// <summary>A crop box origin in µm as ELEPHANT places it on the resampled grid: ⌊origin × factor⌋ voxels of scale / factor.</summary>
    /// <param name="origin">The origin in voxels of the image.</param>
    /// <param name="factor">The axis's factor.</param>
    /// <param name="scale">The axis's voxel size.</param>
    public static double Origin(long origin, double factor, double scale) =>
        factor == 1 ? origin * scale : Math.Floor((origin * factor) + 1e-9) * (scale / factor);
}
