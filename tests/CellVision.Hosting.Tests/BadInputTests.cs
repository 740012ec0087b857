using CellVision.Detection;
using CellVision.Core.Synthetic;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>Bad input gives the library's own exception, unchanged, and one error in the log with that exception.</summary>
public class BadInputTests
{
    [Fact]
    public void A_missing_movie_gives_FileNotFoundException_and_a_logged_error()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();
        var store = host.Get<IMovieStore>();

        var exception = Assert.Throws<FileNotFoundException>(() => store.Read(folder["missing.zarr"]));
        Assert.Equal(folder["missing.zarr"], exception.FileName);
        var error = Assert.Single(host.Logs.Of<MovieStore>(LogLevel.Error));
        Assert.Equal($"Reading movie {folder["missing.zarr"]} (Zarr) failed", error.Message);
        Assert.Same(exception, error.Exception);
        Assert.Equal(1020, error.EventId.Id);
    }

    [Fact]
    public void A_path_without_a_format_gives_ArgumentException_and_a_logged_error()
    {
        using var host = new TestHost();
        var exception = Assert.Throws<ArgumentException>(() => host.Get<IMovieStore>().Read("/nonexistent/movie.unknown"));
        Assert.Same(exception, Assert.Single(host.Logs.Of<MovieStore>(LogLevel.Error)).Exception);
    }

    [Fact]
    public void Writing_too_many_timepoints_into_one_tiff_gives_ArgumentException_and_a_logged_error()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 2, Depth = 2, Height = 8, Width = 8, InitialNuclei = 1 });

        Assert.Throws<ArgumentException>(() => host.Get<IMovieStore>().Write(folder["movie.tif"], movie.Images));
        Assert.Contains(host.Logs.Of<MovieStore>(LogLevel.Error), e => e.EventId.Id == 1021);
    }

    [Fact]
    public void Missing_weights_give_FileNotFoundException_and_a_logged_error()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();

        var exception = Assert.Throws<FileNotFoundException>(() => host.Get<INucleusDetector>().LoadWeights(folder["missing.pth"]));
        var error = Assert.Single(host.Logs.Of<NucleusDetector>(LogLevel.Error));
        Assert.Same(exception, error.Exception);
        Assert.Equal($"Loading detector weights {folder["missing.pth"]} failed", error.Message);
        Assert.False(host.Get<INucleusDetector>().HasWeights);
    }

    [Fact]
    public void Missing_ctc_folders_give_DirectoryNotFoundException_and_a_logged_error()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();

        var exception = Assert.Throws<DirectoryNotFoundException>(() => host.Get<ICtcService>().Evaluate(folder["01_GT"], folder["01_RES"]));
        Assert.Same(exception, Assert.Single(host.Logs.Of<CtcService>(LogLevel.Error)).Exception);
    }

    [Fact]
    public void Cancellation_is_logged_as_information_not_as_an_error()
    {
        using var host = new TestHost();
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 1, Depth = 4, Height = 16, Width = 16, InitialNuclei = 1 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => host.Get<IClaheService>().EqualizeMovie(movie.Images, cancellationToken: cancelled.Token));
        Assert.Empty(host.Logs.Of<ClaheService>(LogLevel.Error));
        Assert.Contains(host.Logs.Of<ClaheService>(), e => e.EventId.Id == 4021);
    }
}
