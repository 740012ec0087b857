using CellVision.Detection;
using CellVision.Server.Jobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace CellVision.Server.Tests;

/// <summary>Predictions reuse the loaded model until its file is replaced or the options change.</summary>
public sealed class DetectorCacheTests
{
    [Fact]
    public void The_detector_is_reused_until_the_model_file_or_the_options_change()
    {
        var folder = Directory.CreateTempSubdirectory("cellvision-cache-");
        try
        {
            var path = Path.Combine(folder.FullName, "detection.pth");
            Save(path, seed: 1);
            using var cache = new DetectorCache(NullLoggerFactory.Instance);
            var options = new NucleusDetectorOptions();

            var first = cache.Use(path, options, d => d);
            Assert.Same(first, cache.Use(path, options, d => d));

            // A training saves under a temporary name and renames: the next prediction reads the new model.
            Save(path + ".tmp", seed: 2);
            File.Move(path + ".tmp", path, overwrite: true);
            var second = cache.Use(path, options, d => d);
            Assert.NotSame(first, second);

            var stricter = options with { SpotExtraction = options.SpotExtraction with { ProbabilityThreshold = 0.7 } };
            var third = cache.Use(path, stricter, d => d);
            Assert.NotSame(second, third);
            Assert.Equal(0.7, third.Options.SpotExtraction.ProbabilityThreshold);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Save(string path, int seed)
    {
        using var detector = new NucleusDetector(new NucleusDetectorOptions { Training = new DetectionTrainingOptions { Seed = seed } });
        detector.SaveWeights(path);
    }
}
