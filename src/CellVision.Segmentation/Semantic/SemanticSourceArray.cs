using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// An array a data configuration names, opened: its voxels and, when its metadata carries them, funlib's
/// <c>resolution</c> and <c>offset</c> attributes (Z, Y, X, nanometres) that place it in the world.
/// </summary>
/// <param name="Array">The Z, Y, X voxels: uint8 for raw, unsigned integers for labels and masks.</param>
/// <param name="Resolution">The voxel size in nm, or null when unknown (then the configuration's is assumed).</param>
/// <param name="Offset">The world position of voxel (0, 0, 0) in nm, or null for the origin.</param>
public sealed record SemanticSourceArray(IChunkedVolume Array, IReadOnlyList<double>? Resolution = null, IReadOnlyList<double>? Offset = null);

/// <summary>Opens one array of a Zarr container (CellVision.IO's <c>ZarrArray</c> with its funlib attributes, or any other store).</summary>
/// <param name="container">The container's full path (<see cref="SemanticDataConfiguration.ResolveFile"/>).</param>
/// <param name="path">The array's path inside the container.</param>
/// <returns>The opened array.</returns>
/// <exception cref="FileNotFoundException">The container or the array does not exist.</exception>
/// <exception cref="DirectoryNotFoundException">The container does not exist.</exception>
public delegate SemanticSourceArray SemanticArrayOpener(string container, string path);
