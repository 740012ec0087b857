namespace CellVision.Core.Annotations;

/// <summary>ELEPHANT's tracking tags of a link (and of a spot's tracking state).</summary>
public enum TrackingTag
{
    /// <summary>Made or proposed by software: automatic linking may remove and remake it.</summary>
    Unlabeled,

    /// <summary>Checked by a person: automatic linking never removes it, and only approved links train the flow model.</summary>
    Approved,
}
