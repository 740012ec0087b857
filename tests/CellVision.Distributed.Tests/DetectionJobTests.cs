using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Distributed.Operations;
using CellVision.Distributed.Runners;
using CellVision.Distributed.Slurm;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;
using CellVision.IO.Tiff;

namespace CellVision.Distributed.Tests;

public sealed class DetectionJobTests
{
    [Fact]
    public Task A_per_timepoint_detection_job_merges_once_and_equals_the_single_process_detection() =>
        Check(new LocalRunner(new LocalRunnerOptions { Workers = 2, Worker = Fixtures.Worker }), slurm: false);

    [SlurmFact]
    public Task A_per_timepoint_detection_job_on_both_nodes_equals_the_single_process_detection() =>
        Check(new SlurmRunner(new SlurmRunnerOptions
        {
            Partition = TestCluster.Partition,
            PollInterval = TimeSpan.FromMilliseconds(300),
            Worker = Fixtures.Worker,
            Environment = new Dictionary<string, string> { ["CELLVISION_WORKER_FAULTS"] = "delay:*:1500" },
        }), slurm: true);

    private static async Task Check(IJobRunner runner, bool slurm)
    {
        using var folder = new TemporaryFolder();
        var movie = folder.Sub("movie");
        for (var t = 0; t < 3; t++)
        {
            using var frame = new Volume<ushort>(8, 32, 32);
            var span = frame.Span;
            var random = new Random(t);
            for (var i = 0; i < span.Length; i++)
            {
                var (z, y, x) = (i / 1024, i / 32 % 32, i % 32);
                var inside = ((z - 4) * (z - 4) * 4) + ((y - 10 - t) * (y - 10 - t)) + ((x - 16) * (x - 16)) < 25;
                span[i] = (ushort)((inside ? 3000 : 300) + random.Next(0, 200));
            }

            TiffWriter.Write(Path.Combine(movie, $"t{t:D3}.tif"), frame);
        }

        var options = new NucleusDetectorOptions
        {
            Prediction = new PredictionOptions { PatchSize = (8, 32, 32) },
            SpotExtraction = new SpotExtractionOptions { ProbabilityThreshold = 0.3 },
            Training = new DetectionTrainingOptions { Seed = 3 },
        };
        using (var untrained = new NucleusDetector(options))
        {
            untrained.SaveWeights(folder["model.pth"]);
        }

        // One process: Detect (prediction and suppression, timepoint by timepoint), then the spots file.
        var frames = MovieFiles.Read(movie, MovieFormat.TiffSequence, CancellationToken.None);
        var graph = new LineageGraph();
        using (var detector = NucleusDetector.Load(folder["model.pth"], options))
        {
            detector.Detect(frames, graph);
        }

        LineageFiles.Write(graph, folder["reference.csv"], frames[0], frames.Count, "movie");
        frames.ForEach(f => f.Dispose());
        Assert.True(graph.SpotCount > 0, "the reference detection finds nuclei");

        var plan = NucleusDetectionOperation.CreatePlan(movie, folder["model.pth"], folder["nuclei.job"], options);
        Assert.Equal(3, plan.Tasks.Count);
        await Jobs.RunAsync(plan, runner);
        Assert.Equal(File.ReadAllText(folder["reference.csv"]), File.ReadAllText(NucleusDetectionOperation.SpotsFile(plan)));
        Assert.Equal(File.ReadAllText(folder["reference-links.csv"]), File.ReadAllText(Path.Combine(plan.Outputs[0], "nuclei-links.csv")));
        if (slurm)
        {
            Assert.Equal(["n1", "n2"], Fixtures.Nodes(plan).Order());
        }
    }
}
