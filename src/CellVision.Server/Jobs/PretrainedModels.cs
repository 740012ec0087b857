using CellVision.Server.Http;

namespace CellVision.Server.Jobs;

/// <summary>
/// What a model reset's <c>url</c> downloads, as ELEPHANT's <c>init_seg_models</c> and <c>init_flow_models</c> decide:
/// null ("Default") nothing; <c>Versatile</c> ELEPHANT's pretrained file below the configured address
/// (<c>versatile3d.pth</c> or, with <c>is_3d</c> false, <c>versatile2d.pth</c> for detection, <c>Fluo-N3DH-CE_flow.pth</c>
/// for flow; ELEPHANT has no 2-D flow model and then initialises randomly); anything else is the URL of the file ("From URL").
/// </summary>
internal static class PretrainedModels
{
    /// <summary>ELEPHANT's 3-D detection model.</summary>
    public const string Detection3D = "versatile3d.pth";

    /// <summary>ELEPHANT's 2-D detection model (a <see cref="Detection.DetectionUNet2D"/>).</summary>
    public const string Detection2D = "versatile2d.pth";

    /// <summary>ELEPHANT's 3-D flow model (trained on Fluo-N3DH-CE).</summary>
    public const string Flow3D = "Fluo-N3DH-CE_flow.pth";

    /// <summary>The file a reset downloads, or null when it initialises randomly.</summary>
    /// <param name="url">The request's <c>url</c>.</param>
    /// <param name="flow">A flow model reset.</param>
    /// <param name="is3D">The request's <c>is_3d</c>.</param>
    /// <param name="root">Where the Versatile files are (<see cref="ElephantServerOptions.PretrainedModels"/>).</param>
    /// <exception cref="ElephantRequestException">500: not an http or https URL.</exception>
    public static Uri? Resolve(string? url, bool flow, bool is3D, Uri root)
    {
        if (url is null)
        {
            return null;
        }

        if (url != "Versatile")
        {
            return ModelDownloader.Parse(url);
        }

        if (!is3D && flow)
        {
            return null;
        }

        var folder = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        return new Uri(folder, flow ? Flow3D : is3D ? Detection3D : Detection2D);
    }
}
