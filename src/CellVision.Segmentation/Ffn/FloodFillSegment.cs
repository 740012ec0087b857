namespace CellVision.Segmentation;

/// <summary>An accepted object (the reference's <c>origins</c> and <c>overlaps</c> entries).</summary>
/// <param name="Id">The object's label in the segmentation.</param>
/// <param name="Seed">Where it was seeded (Z, Y, X voxels).</param>
/// <param name="Steps">Network steps it took.</param>
/// <param name="VoxelCount">Voxels written with this id.</param>
/// <param name="Overlaps">
/// Earlier objects whose voxels this object's mask also reached (they keep them), as (id, voxel count) in ascending id
/// order.
/// </param>
/// <param name="Elapsed">Time spent growing it.</param>
public sealed record FloodFillSegment(uint Id, (int Z, int Y, int X) Seed, int Steps, long VoxelCount, IReadOnlyList<(uint Id, long Voxels)> Overlaps, TimeSpan Elapsed);
