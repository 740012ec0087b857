using System.Runtime.InteropServices;

namespace CellVision.Segmentation;

/// <summary>A training centre: the index of a volume in its <see cref="FloodFillCoordinateSet"/> and a voxel of it, Z, Y, X.</summary>
/// <param name="Volume">The index of the volume in <see cref="FloodFillCoordinateSet.Volumes"/>.</param>
/// <param name="Z">The plane.</param>
/// <param name="Y">The row.</param>
/// <param name="X">The column.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct FloodFillCoordinate(int Volume, int Z, int Y, int X);
