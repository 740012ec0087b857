using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Segmentation;

namespace CellVision.Distributed.Operations;

/// <summary>
/// The Zarr group incasem's prediction writes, and that <c>cellvision semantic predict</c> and
/// <see cref="SemanticPredictionOperation"/> write too: <c>prob_maps/class_{c}</c> (float32, one per class) and
/// <c>segmentation</c> (uint32), each of the raw volume's shape, zlib level 3, in chunks of half an output block
/// (incasem's), with the raw volume's funlib <c>resolution</c> and <c>offset</c> attributes.
/// </summary>
public static class SemanticPredictionZarr
{
    /// <summary>The subgroup holding the class probabilities.</summary>
    public const string ProbabilitiesGroup = "prob_maps";

    /// <summary>The segmentation array's name.</summary>
    public const string SegmentationName = "segmentation";

    /// <summary>The probability array of class <paramref name="index"/> inside <paramref name="group"/>.</summary>
    /// <param name="group">The output group's folder.</param>
    /// <param name="index">The class, from 0.</param>
    public static string ProbabilityPath(string group, int index) => Path.Combine(group, ProbabilitiesGroup, $"class_{index}");

    /// <summary>The segmentation array inside <paramref name="group"/>.</summary>
    /// <param name="group">The output group's folder.</param>
    public static string SegmentationPath(string group) => Path.Combine(group, SegmentationName);

    /// <summary>incasem's chunks: half the network's output block on each axis (at least 1).</summary>
    /// <param name="outputSize">The output block, Z, Y, X.</param>
    public static long[] DefaultChunks((int Z, int Y, int X) outputSize) =>
        [Math.Max(1, outputSize.Z / 2), Math.Max(1, outputSize.Y / 2), Math.Max(1, outputSize.X / 2)];

    /// <summary>
    /// Creates the group and its empty arrays (replacing the metadata of arrays an interrupted call left behind), the
    /// segmentation last.
    /// </summary>
    /// <param name="group">The folder.</param>
    /// <param name="shape">The raw volume's shape, Z, Y, X.</param>
    /// <param name="classes">The network's classes.</param>
    /// <param name="chunks">The chunk shape (see <see cref="DefaultChunks"/>).</param>
    /// <param name="funlib">The raw volume's funlib attributes, copied to every array; null for none.</param>
    /// <returns>The arrays, as prediction targets.</returns>
    public static SemanticPredictionTargets Create(string group, IReadOnlyList<long> shape, int classes, long[] chunks, FunlibAttributes? funlib)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ZarrGroup.Create(group);
        ZarrGroup.Create(Path.Combine(group, ProbabilitiesGroup));
        var maps = new IChunkedVolume[classes];
        for (var c = 0; c < classes; c++)
        {
            var array = ZarrArray.Create<float>(ProbabilityPath(group, c), [.. shape], chunks, new ZlibCompressor(3), overwrite: true);
            funlib?.WriteTo(array);
            maps[c] = array;
        }

        var segmentation = ZarrArray.Create<uint>(SegmentationPath(group), [.. shape], chunks, new ZlibCompressor(3), overwrite: true);
        funlib?.WriteTo(segmentation);
        return new SemanticPredictionTargets(maps, segmentation);
    }

    /// <summary>Whether <paramref name="group"/> holds the arrays <see cref="Create"/> makes (its segmentation, made last).</summary>
    /// <param name="group">The folder.</param>
    public static bool Exists(string group) => File.Exists(Path.Combine(SegmentationPath(group), ".zarray"));

    /// <summary>Opens the arrays of an existing group.</summary>
    /// <param name="group">The folder.</param>
    /// <param name="classes">The network's classes.</param>
    /// <returns>The arrays, as prediction targets.</returns>
    /// <exception cref="FileNotFoundException">An array is missing.</exception>
    public static SemanticPredictionTargets Open(string group, int classes)
    {
        ArgumentNullException.ThrowIfNull(group);
        var maps = Enumerable.Range(0, classes).Select(c => (IChunkedVolume)ZarrArray.Open(ProbabilityPath(group, c))).ToArray();
        return new SemanticPredictionTargets(maps, ZarrArray.Open(SegmentationPath(group)));
    }
}
