using CellVision.Server.Http;
using CellVision.Server.Workspace;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary>
/// <c>/upload/image</c>: the client's chunked upload of a BDV HDF5 file. <c>init</c> and <c>append</c> arrive as
/// multipart (a 10 MiB <c>file</c> part, stored verbatim, padding included), <c>complete</c> and <c>cancel</c> as
/// form-urlencoded. Chunks go to <c>&lt;stem&gt;.tmp</c>, which <c>complete</c> renames to the file name.
/// </summary>
internal static class UploadEndpoints
{
    private static readonly FormOptions Unlimited = new()
    {
        MultipartBodyLengthLimit = long.MaxValue,
        ValueLengthLimit = int.MaxValue,
        MultipartHeadersLengthLimit = 64 * 1024,
    };

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.Post("/upload/image", Upload, "Upload an image file", "Chunked upload of the HDF5 file: init, append, complete or cancel.");

    /// <summary>Reads a multipart or urlencoded form without size limits.</summary>
    /// <param name="context">The request.</param>
    public static async Task<IFormCollection> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            throw new ElephantRequestException("Content-Type should be multipart/form-data or application/x-www-form-urlencoded");
        }

        return await context.Request.ReadFormAsync(Unlimited, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> Upload(HttpContext context)
    {
        var form = await ReadFormAsync(context).ConfigureAwait(false);
        var datasetName = Field(form, "dataset_name");
        var fileName = Field(form, "filename");
        var action = Field(form, "action");
        var workspace = context.Service<ElephantWorkspace>();
        var target = workspace.DatasetFile(datasetName, fileName);
        var scratch = Path.ChangeExtension(target, ".tmp");
        if (scratch == target)
        {
            throw new ElephantRequestException($"filename should not end with .tmp: '{fileName}'");
        }

        switch (action)
        {
            case "init":
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Delete(scratch);
                await AppendAsync(form, scratch, context.RequestAborted).ConfigureAwait(false);
                break;
            case "append":
                if (!File.Exists(scratch))
                {
                    throw new ElephantRequestException($"no upload of {fileName} is in progress; send action=init first");
                }

                await AppendAsync(form, scratch, context.RequestAborted).ConfigureAwait(false);
                break;
            case "complete":
                if (!File.Exists(scratch))
                {
                    throw new ElephantRequestException($"no upload of {fileName} is in progress; nothing to complete");
                }

                File.Move(scratch, target, overwrite: true);
                break;
            case "cancel":
                File.Delete(scratch);
                break;
            default:
                throw new ElephantRequestException($"unknown action: {action}");
        }

        return Results.Ok();
    }

    private static string Field(IFormCollection form, string key) =>
        form.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value.ToString()) ? value.ToString() : throw new ElephantRequestException($"{key} is not specified");

    private static async Task AppendAsync(IFormCollection form, string scratch, CancellationToken cancellationToken)
    {
        var file = form.Files.GetFile("file") ?? throw new ElephantRequestException("file is not specified");
        await using var output = new FileStream(scratch, FileMode.Append, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await file.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }
}
