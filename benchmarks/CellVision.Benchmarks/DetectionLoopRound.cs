using System.Globalization;
using CellVision.Detection;

namespace CellVision.Benchmarks;

/// <summary>One prediction of the loop: the model's scores, the annotations' score, and the round that led to it.</summary>
/// <param name="Round">0 for the prediction after the first training.</param>
/// <param name="All">The model's nuclei against all instances.</param>
/// <param name="Half">The model's nuclei against the instances at least half in view.</param>
/// <param name="Held">The annotations the user holds after the prediction is merged (tp, fn and unlabelled spots).</param>
/// <param name="Corrections">The proofreading before this round's retraining (none for round 0).</param>
/// <param name="TrainSeconds">The training before this prediction.</param>
/// <param name="PredictSeconds">This prediction (all frames).</param>
internal sealed record DetectionLoopRound(int Round, DetectionScore All, DetectionScore Half, DetectionScore Held, ProofreadingCorrections Corrections, double TrainSeconds, double PredictSeconds)
{
    internal string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"round {Round}: corrections {Corrections.Corrections} (fp {Corrections.FalsePositivesTagged}, fn {Corrections.MissedAdded}), approved {Corrections.Approved}; train {TrainSeconds:F1} s, predict {PredictSeconds:F1} s; " +
        $"model F1 all {All.F1:F3} (P {All.Precision:F3} R {All.Recall:F3}, {All.Hits}/{All.Instances}, {All.Detections} det), half-in-view {Half.F1:F3} (P {Half.Precision:F3} R {Half.Recall:F3}, {Half.Hits}/{Half.Instances}); annotations F1 all {Held.F1:F3}");
}
