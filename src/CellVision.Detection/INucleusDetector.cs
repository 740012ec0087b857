using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Networks;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's nucleus detector (the 3-class 3-D U-Net): weights from and to PyTorch <c>.pth</c> files, training from
/// the tagged spots of a <see cref="LineageGraph"/>, and detection of nuclei into a graph. The implementation is
/// <see cref="NucleusDetector"/>; hosts register it as a service, tests may replace it.
/// </summary>
public interface INucleusDetector
{
    /// <summary>Whether the model holds weights that were loaded or trained (false while it is randomly initialised).</summary>
    bool HasWeights { get; }

    /// <summary>Loads weights: a state dict with ELEPHANT's keys (saved by ELEPHANT or by <see cref="SaveWeights"/>), or a list of them, an ensemble whose probabilities are averaged.</summary>
    /// <param name="path">The <c>.pth</c> file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="Torch.Serialization.PthFormatException">The file is not a readable state dict.</exception>
    /// <exception cref="Torch.StateDictMismatchException">The keys or shapes are not the detection U-Net's; the model is left unchanged.</exception>
    void LoadWeights(string path);

    /// <summary>Saves the weights as a state dict that PyTorch's <c>torch.load</c> and ELEPHANT read.</summary>
    /// <param name="path">The <c>.pth</c> file; replaced if it exists.</param>
    /// <exception cref="InvalidOperationException">The detector holds an ensemble.</exception>
    void SaveWeights(string path);

    /// <summary>
    /// Trains the model on every timepoint that holds a tagged spot (detection tag other than
    /// <see cref="DetectionTag.Unlabeled"/>): labels are painted from the tagged ellipsoids and
    /// <see cref="DetectionTrainingOptions.Epochs"/> epochs of random crops are run.
    /// </summary>
    /// <param name="frames">The movie, one raw frame per timepoint (normalised here).</param>
    /// <param name="annotations">The annotations; spots tagged tp, fn, tb, fb, tn or fp train.</param>
    /// <param name="progress">Receives every optimiser step's loss.</param>
    /// <param name="cancellationToken">Stops between steps; the weights keep the steps done.</param>
    /// <returns>The mean loss of each epoch and what was trained on.</returns>
    /// <exception cref="ArgumentException">No spot is tagged, a tagged timepoint lies beyond the movie, or no tagged spot paints a voxel.</exception>
    /// <exception cref="InvalidOperationException">The detector holds an ensemble, which only predicts.</exception>
    DetectorTrainingResult Train(IReadOnlyList<Volume<ushort>> frames, LineageGraph annotations, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Detects the nuclei of one raw frame (patch-wise prediction, then centres become ellipsoids).</summary>
    /// <param name="frame">Raw intensities with the frame's voxel size.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    /// <returns>The nuclei, centres and covariances in µm.</returns>
    IReadOnlyList<DetectedSpot> DetectFrame(Volume<ushort> frame, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Detects the nuclei of every (or the chosen) timepoint and merges them into <paramref name="graph"/> as ELEPHANT's
    /// client does (<see cref="SpotSuppressor.Apply"/>: a nucleus closer than the suppression distance to a spot of its
    /// timepoint is merged into it; the others are added with unlabelled tags and quality = mean centre probability).
    /// </summary>
    /// <param name="frames">The movie, one raw frame per timepoint.</param>
    /// <param name="graph">Receives the nuclei.</param>
    /// <param name="timepoints">First and last timepoint; null for all.</param>
    /// <param name="progress">Receives each finished timepoint.</param>
    /// <param name="cancellationToken">Stops between patches; timepoints done stay in the graph.</param>
    /// <returns>How many nuclei each timepoint got.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timepoints are not a range within the movie.</exception>
    DetectionSummary Detect(IReadOnlyList<Volume<ushort>> frames, LineageGraph graph, (int First, int Last)? timepoints = null, IProgress<DetectionProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="INucleusDetector.Train"/> did.</summary>
/// <param name="EpochLosses">The mean loss of each epoch, in order.</param>
/// <param name="Timepoints">The annotated timepoints trained on.</param>
/// <param name="Annotations">The tagged spots over those timepoints.</param>
/// <param name="Elapsed">How long it took, labels included.</param>
public sealed record DetectorTrainingResult(IReadOnlyList<double> EpochLosses, IReadOnlyList<int> Timepoints, int Annotations, TimeSpan Elapsed);

/// <summary>What <see cref="INucleusDetector.Detect"/> added to the graph.</summary>
/// <param name="NucleiByTimepoint">The number of nuclei added at each timepoint detected (after merging).</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record DetectionSummary(IReadOnlyDictionary<int, int> NucleiByTimepoint, TimeSpan Elapsed)
{
    /// <summary>All nuclei added.</summary>
    public int Nuclei => NucleiByTimepoint.Values.Sum();
}

/// <summary>Progress of <see cref="INucleusDetector.Detect"/> after each timepoint.</summary>
/// <param name="Timepoint">The timepoint just finished.</param>
/// <param name="TimepointsDone">Timepoints finished so far.</param>
/// <param name="TimepointCount">Timepoints to detect.</param>
/// <param name="Nuclei">Nuclei found at <paramref name="Timepoint"/>.</param>
public readonly record struct DetectionProgress(int Timepoint, int TimepointsDone, int TimepointCount, int Nuclei);
