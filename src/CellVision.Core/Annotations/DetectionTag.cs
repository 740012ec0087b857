namespace CellVision.Core.Annotations;

/// <summary>ELEPHANT's detection tags of an annotated spot.</summary>
public enum DetectionTag
{
    /// <summary>Not annotated: never used for training.</summary>
    Unlabeled,

    /// <summary>True positive: a nucleus the model found (centre and border, light weight).</summary>
    TruePositive,

    /// <summary>False positive: not a nucleus although predicted (background, heavy weight).</summary>
    FalsePositive,

    /// <summary>True negative: background (light weight).</summary>
    TrueNegative,

    /// <summary>False negative: a nucleus the model missed (centre and border, heavy weight).</summary>
    FalseNegative,

    /// <summary>True border: nucleus periphery only (light weight).</summary>
    TrueBorder,

    /// <summary>False border: nucleus periphery only (heavy weight).</summary>
    FalseBorder,
}
