using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>
/// Predicted backward flow of frame t: per voxel the displacement (in voxels of the frame grid) from frame t to frame
/// t − 1, over <see cref="Region"/> of the frame.
/// </summary>
public sealed class FlowField : IDisposable
{
    internal FlowField(Volume<float> x, Volume<float> y, Volume<float> z, Box region, VoxelSize voxelSize)
    {
        X = x;
        Y = y;
        Z = z;
        Region = region;
        VoxelSize = voxelSize;
    }

    /// <summary>X displacement in voxels.</summary>
    public Volume<float> X { get; }

    /// <summary>Y displacement in voxels.</summary>
    public Volume<float> Y { get; }

    /// <summary>Z displacement in voxels.</summary>
    public Volume<float> Z { get; }

    /// <summary>The box of the frame (Z, Y, X voxels) the volumes cover.</summary>
    public Box Region { get; }

    /// <summary>The frame's voxel size.</summary>
    public VoxelSize VoxelSize { get; }

    /// <summary>Releases the volumes.</summary>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
        Z.Dispose();
    }
}
