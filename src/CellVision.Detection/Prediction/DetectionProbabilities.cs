using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>Per-voxel probabilities of the three detection classes of one frame.</summary>
public sealed class DetectionProbabilities : IDisposable
{
    internal DetectionProbabilities(Volume<float> background, Volume<float> border, Volume<float> centre)
    {
        Background = background;
        Border = border;
        Centre = centre;
    }

    /// <summary>Probability of background.</summary>
    public Volume<float> Background { get; }

    /// <summary>Probability of a nucleus border.</summary>
    public Volume<float> Border { get; }

    /// <summary>Probability of a nucleus centre.</summary>
    public Volume<float> Centre { get; }

    /// <summary>Returns the volumes' buffers to the pool.</summary>
    public void Dispose()
    {
        Background.Dispose();
        Border.Dispose();
        Centre.Dispose();
    }
}
