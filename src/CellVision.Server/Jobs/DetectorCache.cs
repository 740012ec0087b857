using CellVision.Detection;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// The detector of the last prediction, kept while its model file (path, write time, length) and the prediction's
/// options stay the same: the client predicts timepoint after timepoint with one model, and reading the file costs a
/// few percent of each prediction. A training saves under a temporary name and renames, so a new model is a new file
/// and is read again.
/// </summary>
internal sealed class DetectorCache(ILoggerFactory loggers) : IDisposable
{
    private readonly Lock gate = new();
    private (string Path, DateTime Written, long Length, NucleusDetectorOptions Options)? key;
    private NucleusDetector? detector;

    /// <summary>Runs <paramref name="use"/> with the detector of <paramref name="path"/>, loading it when the file or options changed.</summary>
    /// <typeparam name="T">What <paramref name="use"/> returns.</typeparam>
    /// <param name="path">The model file.</param>
    /// <param name="options">The prediction's options.</param>
    /// <param name="use">The prediction; one at a time.</param>
    /// <returns>What <paramref name="use"/> returned.</returns>
    public T Use<T>(string path, NucleusDetectorOptions options, Func<NucleusDetector, T> use)
    {
        lock (gate)
        {
            var file = new FileInfo(path);
            var current = (file.FullName, file.LastWriteTimeUtc, file.Length, options);
            if (detector is null || key != current)
            {
                detector?.Dispose();
                detector = null;
                detector = NucleusDetector.Load(path, options, loggers.CreateLogger<NucleusDetector>());
                key = current;
            }

            return use(detector);
        }
    }

    /// <summary>Releases the cached detector.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            detector?.Dispose();
            detector = null;
            key = null;
        }
    }
}
