using System.Diagnostics;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Core.Diagnostics;
using CellVision.IO.Movies;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="IMovieStore"/> over <see cref="MovieFiles"/>. Logs each read and write (path, format, frames, shape,
/// voxel size, milliseconds), warns about frames that hold one value only, frames of different shapes, files without a
/// voxel size and writes over existing paths, and logs failures as errors before they propagate.
/// </summary>
public sealed partial class MovieStore : IMovieStore
{
    private readonly ILogger<MovieStore> logger;

    /// <summary>Creates the store.</summary>
    /// <param name="logger">Receives the operations.</param>
    public MovieStore(ILogger<MovieStore> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
    }

    /// <inheritdoc />
    public MovieFormat GuessFormat(string path, bool forWriting = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return MovieFiles.Guess(path, forWriting);
    }

    /// <inheritdoc />
    public Movie Read(string path, MovieFormat? format = null, VoxelSize? voxelSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        voxelSize?.Validate();
        var start = Stopwatch.GetTimestamp();
        MovieFormat? resolved = format;
        try
        {
            resolved ??= MovieFiles.Guess(path, forWriting: false);
            Log.Reading(logger, path, resolved.Value);
            var movie = new Movie(MovieFiles.Read(path, resolved.Value, cancellationToken), path, resolved);
            if (voxelSize is { } size)
            {
                movie.SetVoxelSize(size);
            }

            Report(movie, path, voxelSize is null);
            Log.Read(logger, path, movie.Count, movie.Count == 0 ? "0×0×0" : Describe.Shape(movie[0]), Describe.Size(movie.VoxelSize), Describe.Milliseconds(start));
            return movie;
        }
        catch (OperationCanceledException)
        {
            Log.ReadCancelled(logger, path);
            throw;
        }
        catch (Exception exception)
        {
            Log.ReadFailed(logger, exception, path, resolved?.ToString() ?? "unknown format");
            throw;
        }
    }

    /// <inheritdoc />
    public void Write(string path, IReadOnlyList<Volume<ushort>> frames, MovieFormat? format = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(frames);
        var start = Stopwatch.GetTimestamp();
        MovieFormat? resolved = format;
        try
        {
            resolved ??= MovieFiles.Guess(path, forWriting: true);
            var shape = frames.Count == 0 ? "0×0×0" : Describe.Shape(frames[0]);
            Log.Writing(logger, path, resolved.Value, frames.Count, shape);
            if (File.Exists(path) || Directory.Exists(path))
            {
                Log.Overwriting(logger, path);
            }

            var constant = frames.Select((f, t) => (f, t)).Where(p => Describe.IsConstant(p.f)).Select(p => p.t).ToList();
            if (constant.Count > 0)
            {
                Log.ConstantFrames(logger, path, constant.Count, Describe.List(constant));
            }

            MovieFiles.Write(path, resolved.Value, frames, cancellationToken);
            Log.Wrote(logger, path, resolved.Value, frames.Count, shape, Describe.Milliseconds(start));
        }
        catch (OperationCanceledException)
        {
            Log.WriteCancelled(logger, path);
            throw;
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, path, resolved?.ToString() ?? "unknown format");
            throw;
        }
    }

    private void Report(Movie movie, string path, bool voxelSizeFromFile)
    {
        if (movie.Count == 0)
        {
            return;
        }

        var constant = Enumerable.Range(0, movie.Count).Where(t => Describe.IsConstant(movie[t])).ToList();
        if (constant.Count > 0)
        {
            Log.ConstantFrames(logger, path, constant.Count, Describe.List(constant));
        }

        var first = movie[0];
        var different = Enumerable.Range(1, movie.Count - 1)
            .Where(t => movie[t].Depth != first.Depth || movie[t].Height != first.Height || movie[t].Width != first.Width).ToList();
        if (different.Count > 0)
        {
            Log.ShapesDiffer(logger, path, Describe.Shape(first), different.Count, Describe.List(different));
        }

        if (voxelSizeFromFile && movie.VoxelSize == VoxelSize.Unit)
        {
            Log.UnitVoxelSize(logger, path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Reading movie {Path} ({Format})")]
        public static partial void Reading(ILogger logger, string path, MovieFormat format);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Read movie {Path}: {Frames} frame(s) of {Shape} voxels, voxel size {VoxelSize}, in {ElapsedMs:F0} ms")]
        public static partial void Read(ILogger logger, string path, int frames, string shape, string voxelSize, double elapsedMs);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Writing movie {Path} ({Format}): {Frames} frame(s) of {Shape} voxels")]
        public static partial void Writing(ILogger logger, string path, MovieFormat format, int frames, string shape);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Wrote movie {Path} ({Format}): {Frames} frame(s) of {Shape} voxels in {ElapsedMs:F0} ms")]
        public static partial void Wrote(ILogger logger, string path, MovieFormat format, int frames, string shape, double elapsedMs);

        [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Movie {Path}: {Count} frame(s) hold a single value (blank or saturated): timepoint(s) {Timepoints}")]
        public static partial void ConstantFrames(ILogger logger, string path, int count, string timepoints);

        [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Movie {Path}: {Count} frame(s) differ in shape from timepoint 0 ({Shape}): timepoint(s) {Timepoints}")]
        public static partial void ShapesDiffer(ILogger logger, string path, string shape, int count, string timepoints);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Movie {Path} stores no voxel size (1×1×1 µm assumed); pass the real one, or distances and radii will be in voxels")]
        public static partial void UnitVoxelSize(ILogger logger, string path);

        [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Movie {Path} already exists: formats that can replace it do, the others refuse")]
        public static partial void Overwriting(ILogger logger, string path);

        [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "Reading movie {Path} ({Format}) failed")]
        public static partial void ReadFailed(ILogger logger, Exception exception, string path, string format);

        [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "Writing movie {Path} ({Format}) failed")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string path, string format);

        [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "Reading movie {Path} was cancelled")]
        public static partial void ReadCancelled(ILogger logger, string path);

        [LoggerMessage(EventId = 1023, Level = LogLevel.Information, Message = "Writing movie {Path} was cancelled")]
        public static partial void WriteCancelled(ILogger logger, string path);
    }
}
