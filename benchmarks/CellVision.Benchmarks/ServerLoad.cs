using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Bdv;
using CellVision.Server;
using CellVision.Torch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CellVision.Benchmarks;

/// <summary>
/// The ELEPHANT server under load, on loopback over a temporary workspace holding the BigDataViewer sample (converted by
/// <c>/dataset/generate</c> as the client has it converted): (b) clients polling <c>/state/gpus</c> every 100 ms during a
/// detection training, counting failed requests and the latency percentiles, then (a) the end-to-end latency of
/// <c>/seg/predict</c> for one timepoint against <see cref="NucleusDetector.DetectFrame"/> on the same model and frame
/// (read from the BigDataViewer file), medians of several rounds, and the HTTP path's overhead in percent.
/// </summary>
internal static class ServerLoad
{
    internal static async Task<int> RunAsync(string xml, int timepoint, int threads, int rounds, int clients, double seconds)
    {
        TorchRuntime.ThreadCount = threads;
        var workspace = Directory.CreateTempSubdirectory("cellvision-server-load-");
        try
        {
            using var image = BdvImage.Open(xml);
            var dataset = Directory.CreateDirectory(Path.Combine(workspace.FullName, "datasets", "sample"));
            File.Copy(image.Xml.Hdf5FullPath, Path.Combine(dataset.FullName, "sample.h5"));
            VoxelSize voxel;
            using (var sample = image.ReadVolume(timepoint, 0))
            {
                voxel = sample.VoxelSize;
            }

            var shape = image.Shape(timepoint, 0);
            var builder = ElephantServer.CreateBuilder(new ElephantServerOptions { WorkspaceDirectory = workspace.FullName, Urls = "http://127.0.0.1:0", Seed = 1 });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            await using var app = builder.Build();
            app.MapElephantEndpoints();
            app.MapElephantStatusPage();
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromHours(1) };
            using (var generate = await PostAsync(client, "dataset/generate", "{\"dataset_name\":\"sample\",\"is_2d\":false}"))
            {
                generate.EnsureSuccessStatusCode();
            }

            var scales = Json(voxel.X, voxel.Y, voxel.Z);
            var size = FormattableString.Invariant($"[{shape[2]},{shape[1]},{shape[0]}]");
            await PollDuringTrainingAsync(client, image.Xml.Timepoints.Count, voxel, scales, size, clients, seconds);
            await PredictionOverheadAsync(client, image, timepoint, workspace.FullName, scales, size, rounds);
            await app.StopAsync();
            return 0;
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    /// <summary>(b): <paramref name="clients"/> pollers of <c>/state/gpus</c> every 100 ms while a training runs.</summary>
    private static async Task PollDuringTrainingAsync(HttpClient client, int timepoints, VoxelSize voxel, string scales, string size, int clients, double seconds)
    {
        // Placeholder annotations (two nuclei, two background spots per timepoint): the load needs a running training,
        // not a useful model.
        var spots = new StringBuilder();
        var id = 0;
        for (var t = 0; t < timepoints; t++)
        {
            foreach (var (x, y, tag) in new[] { (64, 64, "tp"), (192, 192, "tp"), (64, 192, "tn"), (192, 64, "tn") })
            {
                spots.Append(spots.Length > 0 ? "," : string.Empty).Append(CultureInfo.InvariantCulture,
                    $"{{\"t\":{t},\"pos\":{Json(x * voxel.X, y * voxel.Y, 4 * voxel.Z)},\"covariance\":[4,0,0,0,4,0,0,0,4],\"label\":\"{id}\",\"id\":{id},\"tag\":\"{tag}\"}}");
                id++;
            }
        }

        var train = FormattableString.Invariant(
            $"{{\"dataset_name\":\"sample\",\"scales\":{scales},\"crop_size\":[128,128,8],\"spots\":[{spots}],\"model_name\":\"detection.pth\",\"debug\":false,\"lr\":0.001,\"batch_size\":1,\"n_crops\":2,\"n_epochs\":100000,\"is_livemode\":false,\"n_keep_axials\":3,\"aug_scale_factor_base\":0,\"aug_rotation_angle\":0,\"aug_contrast\":0,\"timepoint\":0,\"class_weights\":[1,10,10],\"false_weight\":10,\"auto_bg_thresh\":0,\"c_ratio\":0.4,\"log_interval\":1,\"is_3d\":true,\"use_memmap\":true,\"input_size\":{size}}}");
        var training = PostAsync(client, "seg/train", train);
        while ((await StatusAsync(client)).GetProperty("state").GetString() != "RUN")
        {
            await Task.Delay(50);
        }

        var before = await StatusAsync(client);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => PollAsync(client.BaseAddress!, stop.Token)));
        var after = await StatusAsync(client);
        using (var abort = await PostAsync(client, "state/process", "{\"state\":0}"))
        {
            abort.EnsureSuccessStatusCode();
        }

        using (var trained = await training)
        {
            var reply = await trained.Content.ReadAsStringAsync();
            if (reply != "{\"completed\":false}")
            {
                throw new InvalidOperationException($"the training ended before the load did: {reply}");
            }
        }

        var latencies = results.SelectMany(r => r.Latencies).Select(l => (float)l).Order().ToArray();
        var failed = results.Sum(r => r.Failed);
        var stepsDone = Losses(after) - Losses(before);
        Console.WriteLine(FormattableString.Invariant(
            $"cellvision_server_poll clients={clients} seconds={seconds:F0} interval_ms=100 requests={latencies.Length + failed} failed={failed} p50_ms={Normalization.Percentile(latencies, 50):F2} p99_ms={Normalization.Percentile(latencies, 99):F2} max_ms={latencies[^1]:F2} training_state={after.GetProperty("state").GetString()} training_steps_during_load={stepsDone} threads={TorchRuntime.ThreadCount} cores={Environment.ProcessorCount}"));
    }

    /// <summary>One client: a GET every 100 ms (the next one 100 ms after the previous one was sent) until stopped.</summary>
    private static async Task<(List<double> Latencies, int Failed)> PollAsync(Uri address, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var latencies = new List<double>();
        var failed = 0;
        try
        {
            do
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await client.GetAsync("state/gpus", CancellationToken.None);
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    if (response.IsSuccessStatusCode && body.StartsWith('['))
                    {
                        latencies.Add(clock.Elapsed.TotalMilliseconds);
                    }
                    else
                    {
                        failed++;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    failed++;
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        return (latencies, failed);
    }

    /// <summary>(a): <c>/seg/predict</c> over HTTP against the library call on the same model file and frame.</summary>
    private static async Task PredictionOverheadAsync(HttpClient client, BdvImage image, int timepoint, string workspace, string scales, string size, int rounds)
    {
        var predict = FormattableString.Invariant(
            $"{{\"dataset_name\":\"sample\",\"model_name\":\"detection.pth\",\"n_keep_axials\":3,\"scales\":{scales},\"c_ratio\":0.4,\"p_thresh\":0.5,\"r_min\":0,\"r_max\":1000000,\"debug\":false,\"output_prediction\":false,\"use_median\":false,\"is_pad\":true,\"is_3d\":true,\"use_2d\":false,\"use_memmap\":true,\"batch_size\":1,\"input_size\":{size},\"patch\":[384,384,24],\"timepoint\":{timepoint}}}");
        var options = new NucleusDetectorOptions
        {
            Prediction = new PredictionOptions { PatchSize = (24, 384, 384), MitigateEdgeDiscontinuities = true, BatchSize = 1 },
            SpotExtraction = new SpotExtractionOptions { CentreRatio = 0.4, ProbabilityThreshold = 0.5, MinimumRadius = 0, MaximumRadius = 1e6 },
        };
        var modelPath = Path.Combine(workspace, "models", "detection.pth");
        using var detector = NucleusDetector.Load(modelPath, options);
        var http = new double[rounds];
        var library = new double[rounds];
        var libraryWithLoad = new double[rounds];
        int httpSpots = 0, librarySpots = 0;
        for (var i = -1; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var response = await PostAsync(client, "seg/predict", predict))
            {
                using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                httpSpots = reply.RootElement.GetProperty("spots").GetArrayLength();
            }

            var httpSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            using (var frame = image.ReadVolume(timepoint, 0))
            {
                librarySpots = detector.DetectFrame(frame).Count;
            }

            var librarySeconds = clock.Elapsed.TotalSeconds;
            // The server loads the model file for every prediction (a training may have replaced it); so does this round.
            clock.Restart();
            using (var loaded = NucleusDetector.Load(modelPath, options))
            using (var frame = image.ReadVolume(timepoint, 0))
            {
                loaded.DetectFrame(frame);
            }

            if (i >= 0)
            {
                (http[i], library[i], libraryWithLoad[i]) = (httpSeconds, librarySeconds, clock.Elapsed.TotalSeconds);
            }
        }

        var (httpMedian, libraryMedian, loadMedian) = (KnnComparison.Median(http), KnnComparison.Median(library), KnnComparison.Median(libraryWithLoad));
        Console.WriteLine(FormattableString.Invariant(
            $"cellvision_server_predict timepoint={timepoint} rounds={rounds} http_seconds={httpMedian:F3} library_seconds={libraryMedian:F3} overhead_percent={100 * (httpMedian - libraryMedian) / libraryMedian:F1} library_with_model_load_seconds={loadMedian:F3} overhead_vs_with_load_percent={100 * (httpMedian - loadMedian) / loadMedian:F1} http_spots={httpSpots} library_spots={librarySpots} threads={TorchRuntime.ThreadCount}"));
    }

    private static int Losses(JsonElement status) =>
        status.GetProperty("job").ValueKind == JsonValueKind.Object ? status.GetProperty("job").GetProperty("losses").EnumerateArray().Select(p => p[0].GetInt32()).DefaultIfEmpty(0).Max() : 0;

    private static async Task<JsonElement> StatusAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("status.json"));
        return document.RootElement.Clone();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return client.PostAsync(path, content);
    }

    private static string Json(double x, double y, double z) => FormattableString.Invariant($"[{x:R},{y:R},{z:R}]");
}
