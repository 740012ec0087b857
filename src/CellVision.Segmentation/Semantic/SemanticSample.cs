namespace CellVision.Segmentation;

/// <summary>One augmented training block: the network's input and, over its centred output block, the labels and masks.</summary>
internal sealed class SemanticSample
{
    public SemanticSample(int inputLength, int outputLength)
    {
        Image = new float[inputLength];
        Labels = new long[outputLength];
        Mask = new float[outputLength];
        MetricMask = new float[outputLength];
    }

    /// <summary>The raw block, normalised to [−1, 1].</summary>
    public float[] Image { get; }

    /// <summary>Class ids of the output block.</summary>
    public long[] Labels { get; }

    /// <summary>1 inside the sample mask, 0 outside.</summary>
    public float[] Mask { get; }

    /// <summary>1 where scores count, 0 elsewhere.</summary>
    public float[] MetricMask { get; }

    /// <summary>The data set it came from.</summary>
    public int Volume { get; set; }

    /// <summary>The output block's first voxel in the labels' coordinates, before augmentation.</summary>
    public (int Z, int Y, int X) OutputStart { get; set; }
}
