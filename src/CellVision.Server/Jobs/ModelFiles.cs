using CellVision.Detection;
using CellVision.Tracking;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// The model files of the workspace (detection U-Net and flow U-Net): loaded for training, created when missing (the
/// server has no network access for ELEPHANT's pretrained download, so it starts from ELEPHANT's random initialisation
/// and logs it), and saved through a temporary name and a rename, so an aborted or crashed save leaves the previous model
/// intact.
/// </summary>
internal sealed partial class ModelFiles(ElephantServerOptions options, ILogger<ModelFiles> logger, ILoggerFactory loggers)
{
    private readonly CellVisionContext library = new(loggerFactory: loggers);

    /// <summary>Loads the single network of a model file, or creates one (and its file) when the file is missing.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The network; the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException">The file holds an ensemble, which only predicts.</exception>
    public DetectionUNet LoadOrCreate(string path)
    {
        EnsureExists(path);
        var models = DetectionUNet.LoadEnsemble(path);
        if (models.Count != 1)
        {
            foreach (var model in models)
            {
                model.Dispose();
            }

            throw new InvalidOperationException($"{Path.GetFileName(path)} holds an ensemble of {models.Count} networks, which predicts only; reset the model to train it.");
        }

        return models[0];
    }

    /// <summary>Creates the model file with a randomly initialised network when it does not exist.</summary>
    /// <param name="path">The model file.</param>
    public void EnsureExists(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        Log.Creating(logger, path);
        using var model = Create();
        Save(model, path);
    }

    /// <summary>A network with ELEPHANT's random initialisation (seeded when the options carry a seed).</summary>
    public DetectionUNet Create() => options.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new DetectionUNet()) : new DetectionUNet();

    /// <summary>Loads a flow network, or creates one (and its file) when the file is missing.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The network; the caller disposes it.</returns>
    public FlowUNet LoadOrCreateFlow(string path)
    {
        if (!File.Exists(path))
        {
            Log.Creating(logger, path);
            using var created = CreateFlow();
            Save(created, path);
        }

        return LoadFlow(path);
    }

    /// <summary>A flow network with ELEPHANT's random initialisation (seeded when the options carry a seed).</summary>
    public FlowUNet CreateFlow() => options.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new FlowUNet()) : new FlowUNet();

    /// <summary>Loads a flow network from a state dict with ELEPHANT's keys (<see cref="TrackingCatalog.LoadFlow"/>).</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The network; the caller disposes it.</returns>
    /// <exception cref="PthFormatException">Not a state dict.</exception>
    /// <exception cref="StateDictMismatchException">A state dict of another network.</exception>
    public FlowUNet LoadFlow(string path) => library.Tracking.LoadFlow(path);

    /// <summary>Saves a network's state dict through a temporary file and a rename.</summary>
    /// <param name="model">The network.</param>
    /// <param name="path">The model file.</param>
    public static void Save(Module model, string path)
    {
        using var weights = model.StateDict();
        var temporary = path + ".saving";
        try
        {
            PthFile.Save(temporary, weights);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Installs an uploaded or downloaded file as a model after checking that it loads as the detection U-Net, 3-D or
    /// 2-D (for <c>use_2d</c>), as a state dict or a list of them; anything else is refused and nothing is written.
    /// </summary>
    /// <param name="upload">The file's bytes, already on disk.</param>
    /// <param name="path">The model file.</param>
    /// <exception cref="PthFormatException">Not a state dict.</exception>
    /// <exception cref="ArgumentException">A state dict of another network (the 3-D U-Net's complaint).</exception>
    public static void Install(string upload, string path)
    {
        try
        {
            DetectionUNet.LoadEnsemble(upload).ToList().ForEach(m => m.Dispose());
        }
        catch (Exception threeD) when (threeD is StateDictMismatchException or ArgumentException)
        {
            try
            {
                DetectionUNet2D.LoadEnsemble(upload).ToList().ForEach(m => m.Dispose());
            }
            catch (Exception twoD) when (twoD is StateDictMismatchException or ArgumentException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(threeD);
            }
        }

        File.Move(upload, path, overwrite: true);
    }

    /// <summary>Installs an uploaded flow model after checking that it loads as the flow U-Net; else nothing is written.</summary>
    /// <param name="upload">The uploaded bytes, already on disk.</param>
    /// <param name="path">The model file.</param>
    /// <exception cref="PthFormatException">Not a state dict.</exception>
    /// <exception cref="ArgumentException">A state dict of another network.</exception>
    public void InstallFlow(string upload, string path)
    {
        LoadFlow(upload).Dispose();
        File.Move(upload, path, overwrite: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9100, Level = LogLevel.Warning, Message = "{Path} does not exist: creating it with a randomly initialised network (the pretrained Versatile weights are not downloaded by this server)")]
        public static partial void Creating(ILogger logger, string path);
    }
}
