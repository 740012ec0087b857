using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Hosting;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;
using CellVision.IO.Zarr.V3;
using Microsoft.Extensions.DependencyInjection;

namespace CellVision.Cli.Tests;

/// <summary>
/// One seed, one detection workflow: the demo, the library (the context's catalogs), the command line and the hosting
/// services train bit-identical weights from the same annotations and find the same nuclei, and a Zarr v3 copy of the
/// movie gives the same nuclei through every route.
/// </summary>
public sealed class SameSeedRoutesTests
{
    private const int Seed = 4;
    private const int Epochs = 2;

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_nuclei_through_every_route()
    {
        using var folder = new TemporaryFolder();
        var demo = CliRunner.Run("demo", "--small", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--out", folder.Path);
        Assert.True(demo.ExitCode == 0, demo.Error);
        var moviePath = Path.Combine(folder.Path, "data", "movie.xml");
        var annotationsPath = Path.Combine(folder.Path, "annotations.csv");

        // The library, with the settings the small demo uses (they are the CLI's flags below).
        var cv = new CellVisionContext(Seed);
        using var movie = cv.Movies.Open(moviePath);
        var options = DemoSettings(movie[0]);
        var annotations = cv.Lineages.Load(annotationsPath);
        LineageGraph library;
        using (var detector = cv.Detection.Train(movie, annotations, options))
        {
            detector.SaveWeights(folder["library.pth"]);
            library = cv.Detection.Detect(detector, movie);
        }

        // The command line.
        var (depth, height, width) = (movie[0].Depth, movie[0].Height, movie[0].Width);
        var train = CliRunner.Run("detect", "train", "--images", moviePath, "--annotations", annotationsPath, "--model-out", folder["cli.pth"],
            "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--crops", "4", "--crop-size", "8,32,32",
            "--auto-bg-threshold", options.Labels.AutoBackgroundThreshold.ToString("R", CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture));
        Assert.True(train.ExitCode == 0, train.Error);
        var predict = CliRunner.Run("detect", "predict", "--images", moviePath, "--model", folder["cli.pth"], "--out", folder["cli.csv"],
            "--threshold", "0.7", "--rmin", "2", "--patch-size", $"{depth},{height},{width}");
        Assert.True(predict.ExitCode == 0, predict.Error);

        // The hosting services.
        using var services = new ServiceCollection().AddCellVision(o =>
        {
            o.DetectionTraining = options.Training;
            o.Labels = options.Labels;
            o.Prediction = options.Prediction;
            o.SpotExtraction = options.SpotExtraction;
        }).BuildServiceProvider();
        var hosted = new LineageGraph();
        using (var hostedMovie = services.GetRequiredService<IMovieStore>().Read(moviePath))
        {
            var detector = services.GetRequiredService<INucleusDetector>();
            detector.Train(hostedMovie, LineageFiles.Read(annotationsPath));
            detector.SaveWeights(folder["hosting.pth"]);
            detector.Detect(hostedMovie, hosted);
        }

        var demoWeights = Path.Combine(folder.Path, "detector.pth");
        foreach (var route in new[] { "library.pth", "cli.pth", "hosting.pth" })
        {
            WeightFiles.AssertSame(demoWeights, folder[route]);
        }

        var demoNuclei = Centres(LineageFiles.Read(Path.Combine(folder.Path, "detections.csv")));
        Assert.NotEmpty(demoNuclei);
        Assert.Equal(demoNuclei, Centres(library));
        Assert.Equal(demoNuclei, Centres(LineageFiles.Read(folder["cli.csv"])));
        Assert.Equal(demoNuclei, Centres(hosted));

        // A Zarr v3 copy of the movie opens through the library, the command line and the hosting services alike.
        var v3 = folder["movie-v3.zarr"];
        WriteZarrV3(movie, v3);
        using (var detector = cv.Detection.Load(folder["library.pth"], options))
        using (var reopened = cv.Movies.Open(v3))
        {
            Assert.Equal(demoNuclei, Centres(cv.Detection.Detect(detector, reopened)));
        }

        var predictV3 = CliRunner.Run("detect", "predict", "--images", v3, "--model", folder["cli.pth"], "--out", folder["cli-v3.csv"],
            "--threshold", "0.7", "--rmin", "2", "--patch-size", $"{depth},{height},{width}");
        Assert.True(predictV3.ExitCode == 0, predictV3.Error);
        Assert.Equal(demoNuclei, Centres(LineageFiles.Read(folder["cli-v3.csv"])));
        using (var hostedV3 = services.GetRequiredService<IMovieStore>().Read(v3))
        {
            var again = new LineageGraph();
            services.GetRequiredService<INucleusDetector>().Detect(hostedV3, again);
            Assert.Equal(demoNuclei, Centres(again));
        }
    }

    /// <summary>The small demo's detector settings: 4 crops of 8×32×32 per epoch, background below the median, whole-frame patches, threshold 0.7, radius ≥ 2 µm.</summary>
    private static NucleusDetectorOptions DemoSettings(Volume<ushort> first)
    {
        using var normalised = Normalization.MinMaxToUnit(first);
        var sorted = normalised.Span.ToArray();
        Array.Sort(sorted);
        return new NucleusDetectorOptions
        {
            Labels = new LabelOptions { AutoBackgroundThreshold = Normalization.Percentile(sorted, 50) },
            Training = new DetectionTrainingOptions { CropSize = (8, 32, 32), CropsPerTimepoint = 4, Epochs = Epochs, Seed = Seed },
            Prediction = new PredictionOptions { PatchSize = (first.Depth, first.Height, first.Width) },
            SpotExtraction = new SpotExtractionOptions { ProbabilityThreshold = 0.7, MinimumRadius = 2.0 },
        };
    }

    /// <summary>Detected nuclei as (timepoint, x, y, z) text with 6 significant digits, sorted.</summary>
    private static List<string> Centres(LineageGraph graph) =>
        [.. graph.Spots.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Timepoint}:{s.X:G6},{s.Y:G6},{s.Z:G6}")).Order(StringComparer.Ordinal)];

    private static void WriteZarrV3(Movie movie, string path)
    {
        var first = movie[0];
        var array = ZarrV3Array.Create<ushort>(path, [movie.Count, first.Depth, first.Height, first.Width], [1, first.Depth, first.Height, first.Width]);
        var size = first.VoxelSize;
        array.WriteAttributes(new System.Text.Json.Nodes.JsonObject { ["voxel_size_xyz_um"] = new System.Text.Json.Nodes.JsonArray(size.X, size.Y, size.Z) });
        for (var t = 0; t < movie.Count; t++)
        {
            array.Write<ushort>(new Box([t, 0, 0, 0], [1, first.Depth, first.Height, first.Width]), movie[t].Span);
        }
    }
}
