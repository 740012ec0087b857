using CellVision.Core.Geometry;

namespace CellVision.Networks;

/// <summary>
/// ELEPHANT's anisotropy handling: per U-Net level, whether Z is kept (pool/upsample (1, 2, 2)) or halved ((2, 2, 2)).
/// Level 0 is full resolution.
/// </summary>
public static class KeepAxials
{
    /// <summary>
    /// ELEPHANT's client rule: the exponent of the power of two nearest to the anisotropy Z/X (ties and the integer
    /// truncations as in its Java bit tricks). 1 → 0, 5 → 2, 8 → 3, 11.1 → 3.
    /// </summary>
    /// <param name="anisotropy">Voxel size Z divided by voxel size X (after any rescaling).</param>
    public static int LevelsFromAnisotropy(double anisotropy)
    {
        if (!(anisotropy >= 1))
        {
            return 0;
        }

        var floorLog2 = 31 - int.LeadingZeroCount((int)anisotropy);
        var below = (int)(anisotropy - 1);
        var ceilLog2 = below == 0 ? 0 : 32 - int.LeadingZeroCount(below);
        return anisotropy - (1 << floorLog2) < (1 << ceilLog2) - anisotropy ? floorLog2 : ceilLog2;
    }

    /// <summary>The four flags for a voxel size: <see cref="FromLevels"/> of <see cref="LevelsFromAnisotropy"/>(Z / X).</summary>
    /// <param name="voxelSize">The voxel size of the frames the network sees.</param>
    public static bool[] FromVoxelSize(VoxelSize voxelSize) => FromLevels(LevelsFromAnisotropy(voxelSize.Z / voxelSize.X));

    /// <summary>The four flags for <paramref name="levels"/> kept levels: level i keeps Z when i &lt; min(4, levels).</summary>
    /// <param name="levels">Number of levels that keep Z (ELEPHANT's n_keep_axials; its server default is 4).</param>
    public static bool[] FromLevels(int levels) => [.. Enumerable.Range(0, 4).Select(i => i < Math.Min(4, levels))];
}
