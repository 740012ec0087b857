using System.Collections;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.IO.Movies;

/// <summary>
/// The frames of a 3D+t movie (one uint16 volume per timepoint) and where they came from. Disposing the movie disposes
/// every frame, returning its pooled buffer.
/// </summary>
public sealed class Movie : IReadOnlyList<Volume<ushort>>, IDisposable
{
    private readonly Volume<ushort>[] frames;

    /// <summary>Wraps frames; the movie owns them from now on.</summary>
    /// <param name="frames">One volume per timepoint.</param>
    /// <param name="source">The file or folder they were read from; null when made in memory.</param>
    /// <param name="format">The format they were read in; null when made in memory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="frames"/> or one of its volumes is null.</exception>
    public Movie(IEnumerable<Volume<ushort>> frames, string? source = null, MovieFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        this.frames = frames.ToArray();
        if (this.frames.Any(f => f is null))
        {
            throw new ArgumentNullException(nameof(frames), "A movie frame is null.");
        }

        Source = source;
        Format = format;
    }

    /// <summary>The file or folder the frames were read from; null when made in memory.</summary>
    public string? Source { get; }

    /// <summary>The format the frames were read in; null when made in memory.</summary>
    public MovieFormat? Format { get; }

    /// <summary>The number of timepoints.</summary>
    public int Count => frames.Length;

    /// <summary>The first frame's shape (depth, height, width); zeros for an empty movie.</summary>
    public (int Depth, int Height, int Width) Shape => frames.Length == 0 ? default : (frames[0].Depth, frames[0].Height, frames[0].Width);

    /// <summary>The first frame's voxel size; <see cref="VoxelSize.Unit"/> for an empty movie.</summary>
    public VoxelSize VoxelSize => frames.Length == 0 ? VoxelSize.Unit : frames[0].VoxelSize;

    /// <summary>The frame of a timepoint.</summary>
    /// <param name="index">The timepoint, from 0.</param>
    public Volume<ushort> this[int index] => frames[index];

    /// <summary>Sets the voxel size of every frame (for files that do not store it).</summary>
    /// <param name="voxelSize">The voxel size in µm.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not finite and positive.</exception>
    public void SetVoxelSize(VoxelSize voxelSize)
    {
        voxelSize.Validate();
        foreach (var frame in frames)
        {
            frame.VoxelSize = voxelSize;
        }
    }

    /// <inheritdoc />
    public IEnumerator<Volume<ushort>> GetEnumerator() => ((IEnumerable<Volume<ushort>>)frames).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every frame.</summary>
    public void Dispose()
    {
        foreach (var frame in frames)
        {
            frame.Dispose();
        }
    }
}
