using CellVision.Server.Http;

namespace CellVision.Server.Workspace;

/// <summary>
/// ELEPHANT's workspace layout: <c>datasets/&lt;dataset_name&gt;/</c> and <c>models/&lt;model_name&gt;</c>. Every name
/// that arrives in a request is checked to be a plain file name, so nothing is read or written outside the workspace.
/// </summary>
internal sealed class ElephantWorkspace
{
    /// <summary>Creates the layout's folders under <paramref name="root"/>.</summary>
    /// <param name="root">The workspace folder.</param>
    public ElephantWorkspace(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(DatasetsFolder);
        Directory.CreateDirectory(ModelsFolder);
    }

    /// <summary>The workspace folder (absolute).</summary>
    public string Root { get; }

    /// <summary><c>datasets/</c>.</summary>
    public string DatasetsFolder => Path.Combine(Root, "datasets");

    /// <summary><c>models/</c>.</summary>
    public string ModelsFolder => Path.Combine(Root, "models");

    /// <summary><c>datasets/&lt;name&gt;</c> (not created).</summary>
    /// <param name="name">The request's <c>dataset_name</c>.</param>
    public string DatasetFolder(string name) => Path.Combine(DatasetsFolder, PlainName(name, "dataset_name"));

    /// <summary><c>models/&lt;name&gt;</c>.</summary>
    /// <param name="name">The request's <c>model_name</c>.</param>
    public string ModelPath(string name) => Path.Combine(ModelsFolder, PlainName(name, "model_name"));

    /// <summary>A file inside a dataset folder.</summary>
    /// <param name="datasetName">The request's <c>dataset_name</c>.</param>
    /// <param name="fileName">The request's <c>filename</c>.</param>
    public string DatasetFile(string datasetName, string fileName) => Path.Combine(DatasetFolder(datasetName), PlainName(fileName, "filename"));

    /// <summary>
    /// Checks that <paramref name="value"/> names one entry of a folder: not empty, not <c>.</c> or <c>..</c>, no path
    /// separator, no drive or root, no character the file system refuses.
    /// </summary>
    /// <param name="value">The name from the request.</param>
    /// <param name="field">The request field, for the message.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ElephantRequestException">The name could leave its folder.</exception>
    public static string PlainName(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value is "." or ".." || value.Contains("..", StringComparison.Ordinal)
            || value.IndexOfAny(['/', '\\', ':']) >= 0 || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || Path.IsPathRooted(value))
        {
            throw new ElephantRequestException($"{field} must be a plain file name inside the workspace (no '..', path separators or absolute paths), not '{value}'.");
        }

        return value;
    }
}
