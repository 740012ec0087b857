using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;

namespace CellVision.Hosting;

/// <summary>
/// Reads and writes 3D+t movies in every format <see cref="MovieFormat"/> names (TIFF, TIFF sequence, BigDataViewer
/// XML/HDF5, Zarr, OME-Zarr, Cell Tracking Challenge folders); 8-bit data are widened to uint16. The default
/// implementation, <see cref="MovieStore"/>, wraps <see cref="MovieFiles"/> and logs every read and write.
/// </summary>
public interface IMovieStore
{
    /// <summary>The format a path names: by extension (<c>.tif</c>, <c>.xml</c>, <c>.zarr</c>, <c>.ome.zarr</c>), or for an existing folder by what it holds.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="forWriting">True when the path is to be written (so its content cannot be looked at).</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">The format cannot be told from the path.</exception>
    MovieFormat GuessFormat(string path, bool forWriting = false);

    /// <summary>Reads every timepoint of a movie.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="format">Its format; null to tell it from the path (<see cref="GuessFormat"/>).</param>
    /// <param name="voxelSize">The voxel size in µm to give every frame, for files that do not store it; null keeps the file's.</param>
    /// <param name="cancellationToken">Cancels the read between frames.</param>
    /// <returns>The frames; dispose the movie to release them.</returns>
    /// <exception cref="FileNotFoundException">The path does not exist or holds no images.</exception>
    /// <exception cref="NotSupportedException">The voxels are not 8- or 16-bit unsigned integers.</exception>
    Movie Read(string path, MovieFormat? format = null, VoxelSize? voxelSize = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a movie; TIFF files and OME-Zarr images take one timepoint, the other formats any number.</summary>
    /// <param name="path">The file or folder to create.</param>
    /// <param name="frames">One volume per timepoint, all of one shape.</param>
    /// <param name="format">The format; null to tell it from the path.</param>
    /// <param name="cancellationToken">Cancels the write between frames.</param>
    /// <exception cref="ArgumentException">There is nothing to write, the format cannot hold that many timepoints, or the shapes differ.</exception>
    void Write(string path, IReadOnlyList<Volume<ushort>> frames, MovieFormat? format = null, CancellationToken cancellationToken = default);
}
