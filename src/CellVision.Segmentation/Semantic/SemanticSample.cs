namespace CellVision.Segmentation;

/// <summary>One augmented training block: the network's input and, over its centred output block, the labels and masks.</summary>
internal sealed class SemanticSample
{
    public SemanticSample(int inputLength, int outputLength)
    {
        Image = new float[inputLength];
        Labels = new int[outputLength];
        Mask = new bool[outputLength];
        MetricMask = new bool[outputLength];
    }

    /// <summary>The raw block, normalised to [−1, 1].</summary>
    public float[] Image { get; }

    /// <summary>Class ids of the output block.</summary>
    public int[] Labels { get; }

    /// <summary>True inside the sample mask.</summary>
    public bool[] Mask { get; }

    /// <summary>True where scores count.</summary>
    public bool[] MetricMask { get; }

    /// <summary>The data set it came from.</summary>
    public int Volume { get; set; }

    /// <summary>The output block's first voxel in the labels' coordinates, before augmentation.</summary>
    public (int Z, int Y, int X) OutputStart { get; set; }
}
