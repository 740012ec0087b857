using System.IO.Compression;
using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.IO.Ctc;
using CellVision.IO.Tiff;
using CellVision.Server.Http;
using CellVision.Server.Jobs;
using CellVision.Server.State;
using CellVision.Server.Workspace;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary>
/// <c>/download/ctc</c>: a zip of <c>mask&lt;t&gt;.tif</c> label images (uint16, zlib) for every timepoint in
/// [t_start, t_end] and every timepoint with spots, each spot drawn with its track id as ELEPHANT draws it
/// (<see cref="CtcExporter.Draw"/>). Runs as an interleaving job (204 when aborted); the masks are written in a private
/// temporary folder, so concurrent exports do not share a file.
/// </summary>
internal static class CtcExportEndpoint
{
    private const int MinimumVoxels = 20;

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.Post("/download/ctc", Export, "Export CTC", "A zip of mask<t>.tif (uint16) for every timepoint in the range and every timepoint with spots, each spot drawn with its track id.");

    private static async Task<IResult> Export(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var folder = context.Service<ElephantWorkspace>().DatasetFolder(request.String("dataset_name"));
        var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
        var (first, last) = (request.Int("t_start"), request.Int("t_end"));
        if (last < first || first < 0)
        {
            throw new ElephantRequestException($"t_start ({first}) and t_end ({last}) are not a range of timepoints", 500);
        }

        var graph = new LineageGraph();
        var spots = new List<(int T, KeyValuePair<Spot, int> Spot)>();
        foreach (var element in request.Objects("spots"))
        {
            var t = ElephantJsonRequest.NestedInt(element, "t", "spots");
            var pos = ElephantJsonRequest.NestedDoubles(element, "pos", 3, "spots");
            var value = ElephantJsonRequest.NestedInt(element, "value", "spots");
            if (t < 0 || value is < 1 or > ushort.MaxValue)
            {
                throw new ElephantRequestException($"spots[]: t must not be negative and value must lie in [1, 65535] (t {t}, value {value})");
            }

            spots.Add((t, new(graph.AddSpot(t, pos[0], pos[1], pos[2], FlowSpotParser.Covariance(element)), value)));
        }

        var shape = DatasetFrames.Shape(DatasetFrames.Open(folder, "imgs.zarr"));
        using var lease = await context.Service<ProcessStateMachine>().EnterInterleavedAsync(context.RequestAborted).ConfigureAwait(false);
        if (lease is null)
        {
            return Results.NoContent();
        }

        var (_, zip) = await JobRunner.RunAbortableAsync(() => Zip(spots, first, last, shape, voxelSize, lease.Aborted), lease.Aborted).ConfigureAwait(false);
        return zip is null ? Results.NoContent() : Results.Bytes(zip, "application/zip");
    }

    private static byte[] Zip(List<(int T, KeyValuePair<Spot, int> Spot)> spots, int first, int last, (int Depth, int Height, int Width) shape, Core.Geometry.VoxelSize voxelSize, CancellationToken cancellationToken)
    {
        var byTime = spots.GroupBy(s => s.T).ToDictionary(g => g.Key, g => g.Select(s => s.Spot).ToList());
        var frames = byTime.Keys.Concat(Enumerable.Range(first, last - first + 1)).Distinct().Order().ToList();
        var frameCount = frames[^1] + 1;
        var temporary = Directory.CreateTempSubdirectory("cellvision-ctc-").FullName;
        try
        {
            foreach (var t in frames)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var mask = new Volume<ushort>(shape.Depth, shape.Height, shape.Width, voxelSize);
                if (byTime.TryGetValue(t, out var drawn))
                {
                    CtcExporter.Draw(mask, drawn, MinimumVoxels);
                }

                CtcSequence.WriteFrame(temporary, "mask", t, frameCount, mask, TiffCompression.Deflate);
            }

            using var buffer = new MemoryStream();
            ZipFile.CreateFromDirectory(temporary, buffer);
            return buffer.ToArray();
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }
}
