using System.IO.Compression;
using CellVision.IO.Ctc;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary><c>/download/ctc</c>: a zip of mask TIFFs with each spot's track id.</summary>
public sealed class CtcExportTests
{
    [Fact]
    public async Task ExportZipsOneMaskPerTimepointWithTheTrackIds()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var spots = "[{\"t\":0,\"pos\":[10,10,8],\"covariance\":[9,0,0,0,9,0,0,0,9],\"value\":1},{\"t\":1,\"pos\":[11,10,8],\"covariance\":[9,0,0,0,9,0,0,0,9],\"value\":1},{\"t\":1,\"pos\":[23,21,8],\"covariance\":[9,0,0,0,9,0,0,0,9],\"value\":7}]";
        using var response = await server.PostJsonAsync("download/ctc", $"{{\"dataset_name\":\"tiny\",\"scales\":[1,1,2],\"spots\":{spots},\"t_start\":0,\"t_end\":2,\"is_3d\":true}}");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var folder = new TemporaryFolder();
        using (var zip = new ZipArchive(await response.Content.ReadAsStreamAsync()))
        {
            Assert.Equal(["mask000.tif", "mask001.tif", "mask002.tif"], zip.Entries.Select(e => e.FullName).Order());
            zip.ExtractToDirectory(folder.Path);
        }

        using var mask = LabelFrame.Read(folder["mask001.tif"]);
        var voxels = ((CellVision.Core.Volumes.Volume<ushort>)mask.Volume).Span.ToArray();
        Assert.Equal([0, 1, 7], voxels.Distinct().Order().Select(v => (int)v));
        Assert.Equal((ushort)7, ((CellVision.Core.Volumes.Volume<ushort>)mask.Volume)[4, 21, 23]);
        using var blank = LabelFrame.Read(folder["mask002.tif"]);
        Assert.All(((CellVision.Core.Volumes.Volume<ushort>)blank.Volume).Span.ToArray(), v => Assert.Equal(0, v));
    }
}
