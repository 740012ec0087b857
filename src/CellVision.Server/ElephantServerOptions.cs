namespace CellVision.Server;

/// <summary>Settings of the ELEPHANT-compatible server.</summary>
public sealed class ElephantServerOptions
{
    /// <summary>
    /// The workspace folder: <c>datasets/&lt;name&gt;/</c> (uploaded HDF5 files and ELEPHANT's Zarr arrays) and
    /// <c>models/&lt;name&gt;</c> (<c>.pth</c> files). An existing ELEPHANT workspace is served as it is. Default
    /// <c>workspace</c> in the current folder.
    /// </summary>
    public string WorkspaceDirectory { get; set; } = "workspace";

    /// <summary>
    /// The addresses Kestrel listens on, separated by semicolons (default <c>http://127.0.0.1:8080</c>, the ELEPHANT
    /// client's default server URL; use <c>http://0.0.0.0:8080</c> to accept other machines, port 0 for a free port).
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// The RabbitMQ broker the client listens to for progress messages, e.g. <c>amqp://user:user@localhost:5672/</c>
    /// (ELEPHANT's defaults fill what the URI leaves out); null (the default) publishes nothing, and the client then
    /// only misses its progress dialogs, "Model updated" overlays and the server log.
    /// </summary>
    public Uri? RabbitMq { get; set; }

    /// <summary>Threads libtorch uses on the CPU; null keeps libtorch's default (one per core).</summary>
    public int? TorchThreads { get; set; }

    /// <summary>
    /// Seed of the random initialisation of a model the server creates (first training or prediction without a model
    /// file, or a reset to the default initialisation) and of training's crops; null for a random seed.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Where the "Versatile" model reset downloads ELEPHANT's pretrained weights from: <c>versatile3d.pth</c> (detection)
    /// and <c>Fluo-N3DH-CE_flow.pth</c> (flow) below this address. Default: ELEPHANT's release,
    /// <c>https://github.com/elephant-track/elephant-server/releases/download/data/</c>; on a network without internet
    /// access point it at a web server holding copies of those files.
    /// </summary>
    public Uri PretrainedModels { get; set; } = new("https://github.com/elephant-track/elephant-server/releases/download/data/");
}
