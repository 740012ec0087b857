namespace CellVision.Server.State;

/// <summary>
/// The learning rate and crop count posted to <c>/params</c>. They apply to the training that is running when they
/// arrive (read before every step and every live epoch); each training clears them when it starts, so a later training
/// uses the values of its own request.
/// </summary>
internal sealed class TrainingParameters
{
    private readonly Lock gate = new();
    private double? learningRate;
    private int? cropCount;

    /// <summary>The posted learning rate, or null.</summary>
    public double? LearningRate
    {
        get
        {
            lock (gate)
            {
                return learningRate;
            }
        }
    }

    /// <summary>The posted crop count, or null.</summary>
    public int? CropCount
    {
        get
        {
            lock (gate)
            {
                return cropCount;
            }
        }
    }

    /// <summary>Stores both values.</summary>
    /// <param name="lr">The learning rate.</param>
    /// <param name="nCrops">The crop count.</param>
    public void Set(double lr, int nCrops)
    {
        lock (gate)
        {
            learningRate = lr;
            cropCount = nCrops;
        }
    }

    /// <summary>Forgets both values (a training starts).</summary>
    public void Clear()
    {
        lock (gate)
        {
            learningRate = null;
            cropCount = null;
        }
    }
}
