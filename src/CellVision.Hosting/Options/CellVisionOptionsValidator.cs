using CellVision.Evaluation;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting.Options;

/// <summary>
/// Checks every section of <see cref="CellVisionOptions"/> when the options are first built, so that a wrong setting
/// fails at start-up with every problem listed (<see cref="OptionsValidationException"/>) rather than deep inside a run.
/// </summary>
internal sealed class CellVisionOptionsValidator : IValidateOptions<CellVisionOptions>
{
    public ValidateOptionsResult Validate(string? name, CellVisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, CellVisionOptions options)
    {
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add(message);
            }
        }

        if (options.Prediction is not { } prediction)
        {
            failures.Add("Prediction must not be null.");
        }
        else
        {
            Require(prediction.PatchSize is { Depth: > 0, Height: > 0, Width: > 0 }, $"Prediction.PatchSize {prediction.PatchSize} must be positive on every axis.");
            Require(prediction.BatchSize >= 1, $"Prediction.BatchSize {prediction.BatchSize} must be at least 1.");
        }

        if (options.SpotExtraction is not { } spots)
        {
            failures.Add("SpotExtraction must not be null.");
        }
        else
        {
            Require(spots.CentreRatio is > 0 and <= 1, $"SpotExtraction.CentreRatio {spots.CentreRatio} must lie in (0, 1].");
            Require(spots.ProbabilityThreshold is >= 0 and <= 1, $"SpotExtraction.ProbabilityThreshold {spots.ProbabilityThreshold} must lie in [0, 1].");
            Require(spots.MinimumRadius >= 0 && double.IsFinite(spots.MinimumRadius), $"SpotExtraction.MinimumRadius {spots.MinimumRadius} must be finite and not negative.");
            Require(spots.MaximumRadius >= spots.MinimumRadius, $"SpotExtraction.MaximumRadius {spots.MaximumRadius} must not be smaller than MinimumRadius {spots.MinimumRadius}.");
        }

        if (options.DetectionTraining is not { } training)
        {
            failures.Add("DetectionTraining must not be null.");
        }
        else
        {
            Require(training.CropSize is { Depth: > 0, Height: > 0, Width: > 0 }, $"DetectionTraining.CropSize {training.CropSize} must be positive on every axis.");
            Require(training.CropsPerTimepoint >= 1, $"DetectionTraining.CropsPerTimepoint {training.CropsPerTimepoint} must be at least 1.");
            Require(training.Epochs >= 0, $"DetectionTraining.Epochs {training.Epochs} must not be negative.");
            Require(training.BatchSize >= 1, $"DetectionTraining.BatchSize {training.BatchSize} must be at least 1.");
            Require(training.LearningRate > 0 && double.IsFinite(training.LearningRate), $"DetectionTraining.LearningRate {training.LearningRate} must be finite and positive.");
            Require(training.Loss is not null, "DetectionTraining.Loss must not be null.");
            Require(training.ScaleAugmentation is >= 0 and < 1, $"DetectionTraining.ScaleAugmentation {training.ScaleAugmentation} must lie in [0, 1).");
            Require(training.RotationAugmentation >= 0, $"DetectionTraining.RotationAugmentation {training.RotationAugmentation} must not be negative.");
            Require(training.ContrastAugmentation is >= 0 and <= 1, $"DetectionTraining.ContrastAugmentation {training.ContrastAugmentation} must lie in [0, 1].");
        }

        if (options.Labels is not { } labels)
        {
            failures.Add("Labels must not be null.");
        }
        else
        {
            Require(labels.CentreRatio is > 0 and <= 1, $"Labels.CentreRatio {labels.CentreRatio} must lie in (0, 1].");
            Require(labels.AutoBackgroundThreshold >= 0 && double.IsFinite(labels.AutoBackgroundThreshold), $"Labels.AutoBackgroundThreshold {labels.AutoBackgroundThreshold} must be finite and not negative.");
            Require(labels.MinimumVoxels >= 1, $"Labels.MinimumVoxels {labels.MinimumVoxels} must be at least 1.");
        }

        if (options.Suppression is not { } suppression)
        {
            failures.Add("Suppression must not be null.");
        }
        else
        {
            Require(suppression.SuppressionDistance >= 0 && double.IsFinite(suppression.SuppressionDistance), $"Suppression.SuppressionDistance {suppression.SuppressionDistance} must be finite and not negative.");
            Require(suppression.TimeRange >= 0, $"Suppression.TimeRange {suppression.TimeRange} must not be negative.");
        }

        if (options.Linking is not { } linking)
        {
            failures.Add("Linking must not be null.");
        }
        else
        {
            try
            {
                linking.Validate();
            }
            catch (ArgumentOutOfRangeException exception)
            {
                failures.Add($"Linking.{exception.ParamName}: {FirstLine(exception.Message)}");
            }
        }

        if (options.Clahe is not { } clahe)
        {
            failures.Add("Clahe must not be null.");
        }
        else
        {
            Require(clahe.ClipLimit is >= 0 and <= 1, $"Clahe.ClipLimit {clahe.ClipLimit} must lie in [0, 1].");
            Require(clahe.LuminanceLevels is >= 2 and <= 16384, $"Clahe.LuminanceLevels {clahe.LuminanceLevels} must lie in [2, 16384].");
            Require(clahe.KernelSize is null || (clahe.KernelSize.Length is >= 1 and <= 3 && clahe.KernelSize.All(k => k >= 1)),
                "Clahe.KernelSize must be null or one to three sizes of at least 1.");
        }

        if (options.CtcEvaluation is not { } evaluation)
        {
            failures.Add("CtcEvaluation must not be null.");
        }
        else if (evaluation.Weights is null)
        {
            failures.Add("CtcEvaluation.Weights must not be null.");
        }
        else
        {
            try
            {
                evaluation.Weights.Validate();
            }
            catch (ArgumentOutOfRangeException exception)
            {
                failures.Add($"CtcEvaluation.Weights.{exception.ParamName}: {FirstLine(exception.Message)}");
            }
        }

        CheckSegmentationEvaluation(failures, options.SegmentationEvaluation);
        if (options.FloodFillInference is not { } floodFill)
        {
            failures.Add("FloodFillInference must not be null.");
        }
        else
        {
            try
            {
                floodFill.Validate();
            }
            catch (ArgumentException exception)
            {
                failures.Add($"FloodFillInference: {FirstLine(exception.Message)}");
            }
        }

        Check(failures, "SemanticPrediction", options.SemanticPrediction, o => o.Validate());
        Check(failures, "SemanticTraining", options.SemanticTraining, o => o.Validate());
    }

    private static void Check<T>(List<string> failures, string section, T? options, Action<T> validate)
        where T : class
    {
        if (options is null)
        {
            failures.Add($"{section} must not be null.");
            return;
        }

        try
        {
            validate(options);
        }
        catch (ArgumentException exception)
        {
            failures.Add($"{section}: {FirstLine(exception.Message)}");
        }
    }

    private static void CheckSegmentationEvaluation(List<string> failures, SegmentationEvaluationOptions? options)
    {
        if (options is null)
        {
            failures.Add("SegmentationEvaluation must not be null.");
            return;
        }

        if (options.VariationOfInformationIgnoredLabels is null)
        {
            failures.Add("SegmentationEvaluation.VariationOfInformationIgnoredLabels must not be null; use an empty list to count every voxel.");
        }

        if (options.AdaptedRandIgnoredLabels is null)
        {
            failures.Add("SegmentationEvaluation.AdaptedRandIgnoredLabels must not be null; use an empty list to count every voxel.");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
