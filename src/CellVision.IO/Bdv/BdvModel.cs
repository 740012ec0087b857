namespace CellVision.IO.Bdv;

/// <summary>A BigDataViewer view setup (one channel/angle/tile): its size and voxel size.</summary>
/// <param name="Id">The setup id (the <c>sNN</c> in HDF5 paths).</param>
/// <param name="Name">Display name, or null.</param>
/// <param name="Size">Full-resolution size in voxels, X, Y, Z.</param>
/// <param name="VoxelUnit">Unit of <paramref name="VoxelSize"/>, usually "micron".</param>
/// <param name="VoxelSize">Voxel size X, Y, Z.</param>
/// <param name="Attributes">Attribute name ("channel", "angle", …) → entity id.</param>
public sealed record BdvViewSetup(int Id, string? Name, long[] Size, string VoxelUnit, double[] VoxelSize, IReadOnlyDictionary<string, int> Attributes);

/// <summary>Where a (timepoint, setup) view sits in global space: affine transforms, applied last-to-first.</summary>
/// <param name="Timepoint">Timepoint id.</param>
/// <param name="Setup">Setup id.</param>
/// <param name="Affines">Row-packed 3×4 matrices (12 numbers each); element 0 is applied last.</param>
public sealed record BdvViewRegistration(int Timepoint, int Setup, IReadOnlyList<double[]> Affines);

/// <summary>One partition file of a partitioned BDV HDF5 dataset.</summary>
/// <param name="Path">The partition file, relative to the base path.</param>
/// <param name="Timepoints">Timepoint ids it holds.</param>
/// <param name="Setups">Setup ids it holds.</param>
public sealed record BdvPartition(string Path, int[] Timepoints, int[] Setups);
