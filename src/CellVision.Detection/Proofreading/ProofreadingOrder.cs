namespace CellVision.Detection;

/// <summary>In which order a simulated proofreader takes the detections it tags or approves.</summary>
public enum ProofreadingOrder
{
    /// <summary>Highest quality (mean centre probability) first: the errors a user notices first.</summary>
    MostConfidentFirst,

    /// <summary>Lowest quality first: the doubtful detections a careful user checks.</summary>
    LeastConfidentFirst,

    /// <summary>A seeded random order.</summary>
    Random,
}
