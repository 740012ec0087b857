using CellVision.Core.Annotations;
using CellVision.IO.Ctc;
using CellVision.Evaluation;

namespace CellVision.Hosting;

/// <summary>
/// Cell Tracking Challenge folders: writes a <see cref="LineageGraph"/> as a result (<c>maskTTT.tif</c>,
/// <c>res_track.txt</c>) or as TRA ground truth (<see cref="CtcExporter"/>), and scores a result against ground truth
/// with the official measures TRA, DET, SEG and LNK (<see cref="CtcEvaluator"/>) using the registered
/// <see cref="CtcEvaluationOptions"/>. The default implementation is <see cref="CtcService"/>.
/// </summary>
public interface ICtcService
{
    /// <summary>The evaluation settings in use.</summary>
    CtcEvaluationOptions EvaluationOptions { get; }

    /// <summary>Writes the masks and the track file of a graph.</summary>
    /// <param name="graph">The lineages (positions in µm).</param>
    /// <param name="folder">The folder to write (created if needed): the <c>XX_RES</c> folder, or for ground truth the <c>XX_GT/TRA</c> folder.</param>
    /// <param name="options">Voxel size, frame shape, frame range and whether a result or ground truth is written.</param>
    /// <param name="progress">Receives (stage, frames written, frames).</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    /// <returns>The tracks written and every spot's label.</returns>
    /// <exception cref="ArgumentException">The shape or frame range is invalid, or more than 65535 tracks would be written.</exception>
    CtcExportResult Export(LineageGraph graph, string folder, CtcExportOptions options, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Scores a result folder against a ground truth folder.</summary>
    /// <param name="groundTruthFolder">The <c>XX_GT</c> folder (with <c>TRA</c> and optionally <c>SEG</c>), or a TRA folder.</param>
    /// <param name="resultFolder">The <c>XX_RES</c> folder.</param>
    /// <param name="progress">Receives (stage, frames done, frames).</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    /// <returns>The measures and the list of errors.</returns>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A track file or a result mask is missing.</exception>
    /// <exception cref="IO.Ctc.CtcFormatException">Frames are missing or extra, shapes differ, or a mask is not an integer image.</exception>
    /// <exception cref="CtcConsistencyException">A track file disagrees with its masks.</exception>
    CtcEvaluation Evaluate(string groundTruthFolder, string resultFolder, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default);
}
