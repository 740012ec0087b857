namespace CellVision.Torch.Modules;

/// <summary>Argument checks shared by the layer constructors.</summary>
internal static class LayerChecks
{
    internal static void Channels(long inChannels, long outChannels, long groups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"groups ({groups}) must divide both inChannels ({inChannels}) and outChannels ({outChannels}).", nameof(groups));
        }
    }
}
