using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Server.Tests.Infrastructure;
using CellVision.Tracking;

namespace CellVision.Server.Tests;

/// <summary><c>input_size</c> other than the image size in <c>/flow/train</c> and <c>/flow/predict</c>.</summary>
public sealed class FlowInputSizeTests
{
    private const string Queries = "[{\"pos\":[12,10,8],\"covariance\":[16,0,0,0,16,0,0,0,16],\"id\":12},{\"pos\":[24,21,8],\"covariance\":[16,0,0,0,16,0,0,0,16],\"id\":3}]";

    private static string Links(params int[] sources) => "[" + string.Join(",", sources.SelectMany(t => TinyMovie.Nuclei(t + 1).Select(n =>
        $"{{\"pos\":{ClientJson.Numbers([n.X, n.Y, n.Z])},\"covariance\":[16,0,0,0,16,0,0,0,16],\"t\":{t},\"displacement\":[-1,0,-2]}}"))) + "]";

    [Fact]
    public async Task FlowTrainingAndPredictionResampleTheFramesAsTheLibraryDoes()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var train = "{\"dataset_name\":\"tiny\",\"spots\":" + Links(0, 1) + ",\"model_name\":\"flow.pth\",\"debug\":false,\"batch_size\":1,\"n_crops\":1,\"n_epochs\":1,\"lr\":0.001,\"max_displacement\":80," +
            "\"scales\":[1,1,2],\"crop_size\":[32,32,8],\"dim_weights\":[1,1,1],\"n_keep_axials\":1,\"aug_scale_factor_base\":0,\"aug_rotation_angle\":0,\"cache_maxbytes\":1073741824,\"log_interval\":1,\"log_dir\":\"flow_log\",\"is_3d\":true,\"use_memmap\":true,\"input_size\":[48,40,8]}";
        using (var trained = await server.PostJsonAsync("flow/train", train))
        {
            Assert.Equal("{\"completed\":true}", await trained.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, server.Logs.Lines.Count(l => l == "Flow training pair resampled to input_size [48, 40, 8]"));

        // X and Y doubled: the frames go through the network at 8 × 64 × 64 and the crop box lands on ⌊5 · 2⌋.
        var predict = "{\"dataset_name\":\"tiny\",\"model_name\":\"flow.pth\",\"debug\":false,\"output_prediction\":false,\"max_displacement\":80,\"scales\":[1,1,2],\"n_keep_axials\":1," +
            $"\"cache_maxbytes\":1073741824,\"is_3d\":true,\"use_memmap\":true,\"batch_size\":1,\"input_size\":[64,64,8],\"patch\":[384,384,24],\"crop_box\":[5,5,0,24,24,8],\"timepoint\":2,\"spots\":{Queries}}}";
        using var predicted = await server.PostJsonAsync("flow/predict", predict);
        var reply = await ElephantTestServer.JsonAsync(predicted);
        Assert.True(reply.GetProperty("completed").GetBoolean());
        var spots = reply.GetProperty("spots").EnumerateArray().ToList();

        // The library with the same model, frames and factor.
        using var model = new CellVisionContext().Tracking.LoadFlow(Path.Combine(server.Workspace, "models", "flow.pth"));
        var options = new FlowPredictionOptions { PatchSize = (24, 384, 384), Region = Box.FromZyx(0, 5, 5, 8, 24, 24), NormFactor = new FlowNormFactor(80, 80, 40), ResizeFactor = (1, 2, 2) };
        var predictor = new FlowPredictor(model, CellVision.Networks.KeepAxials.FromLevels(1), options: options);
        using var previousRaw = TinyMovie.Frame(1);
        using var currentRaw = TinyMovie.Frame(2);
        using var previous = Normalization.MinMaxToUnit(previousRaw);
        using var current = Normalization.MinMaxToUnit(currentRaw);
        var graph = new LineageGraph();
        var expected = predictor.EstimatePrevious(previous, current, [graph.AddSpot(2, 12, 10, 8, Covariance3.Sphere(4)), graph.AddSpot(2, 24, 21, 8, Covariance3.Sphere(4))]);
        Assert.Equal(2, spots.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal([expected[i].X, expected[i].Y, expected[i].Z], spots[i].GetProperty("pos").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected[i].SquaredDisplacement, spots[i].GetProperty("sqdisp").GetDouble());
        }

        // The same request without resampling estimates otherwise.
        using var unscaled = await server.PostJsonAsync("flow/predict", predict.Replace("[64,64,8]", "[32,32,8]", StringComparison.Ordinal));
        var unscaledSpots = (await ElephantTestServer.JsonAsync(unscaled)).GetProperty("spots").EnumerateArray().Select(s => s.GetProperty("sqdisp").GetDouble()).ToList();
        Assert.NotEqual(spots.Select(s => s.GetProperty("sqdisp").GetDouble()), unscaledSpots);
    }
}
