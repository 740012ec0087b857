using CellVision.Core.Geometry;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;

namespace CellVision;

/// <summary>Opens and saves movies in every format CellVision reads; makes synthetic movies with known truth.</summary>
public sealed class MovieCatalog
{
    private readonly CellVisionContext context;

    internal MovieCatalog(CellVisionContext context) => this.context = context;

    /// <summary>
    /// Opens a whole movie: BigDataViewer XML/HDF5 (<c>.xml</c>), Zarr v2 or v3 (<c>.zarr</c>, Z,Y,X or T,Z,Y,X; the
    /// version is read from the folder), OME-Zarr (<c>.ome.zarr</c>), TIFF (<c>.tif</c>), a folder of TIFF stacks or a
    /// Cell Tracking Challenge image folder. 8-bit data are widened to 16 bits.
    /// </summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="voxelSize">Replaces the voxel size the file records (µm), or null to keep it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The movie; dispose it to return its frames' memory.</returns>
    /// <exception cref="FileNotFoundException">The path does not exist or holds no images.</exception>
    /// <exception cref="ArgumentException">The format cannot be told from the path.</exception>
    /// <exception cref="IOException">The file is corrupt or in a layout CellVision does not read.</exception>
    /// <exception cref="NotSupportedException">The voxels are not 8- or 16-bit unsigned integers.</exception>
    public Movie Open(string path, VoxelSize? voxelSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = MovieFiles.Guess(path, forWriting: false);
        var movie = new Movie(MovieFiles.Read(path, format, cancellationToken), path, format);
        if (voxelSize is { } size)
        {
            movie.SetVoxelSize(size);
        }

        return movie;
    }

    /// <summary>Saves a movie in the format its path names (see <see cref="Open"/>); Zarr is written as version 2.</summary>
    /// <param name="frames">One volume per timepoint, all of one shape.</param>
    /// <param name="path">The file or folder to create.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">There is nothing to write, the format cannot hold that many timepoints, or the shapes differ.</exception>
    public void Save(IReadOnlyList<Volume<ushort>> frames, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentException.ThrowIfNullOrEmpty(path);
        MovieFiles.Write(path, MovieFiles.Guess(path, forWriting: true), frames, cancellationToken);
    }

    /// <summary>A synthetic 3D+t movie of moving, dividing nuclei with its ground truth (spots, links, masks).</summary>
    /// <param name="options">Size, nuclei, motion, noise and seed; null for the defaults with the context's seed (a random one without).</param>
    /// <param name="cancellationToken">Cancels the rendering.</param>
    /// <returns>The movie; dispose it.</returns>
    public SyntheticTimeLapse Synthetic(SyntheticTimeLapseOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyntheticTimeLapseOptions { Seed = context.Seed ?? Random.Shared.Next() };
        return SyntheticTimeLapse.Generate(options, cancellationToken);
    }
}
