using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>The region of interest of one dataset, read and merged: raw voxels, classes, sample mask and metric mask, all the same Z, Y, X shape.</summary>
public sealed class SemanticDatasetVolumes : IDisposable
{
    internal SemanticDatasetVolumes(SemanticDataset dataset, Volume<byte> raw, Volume<byte> labels, Volume<byte> mask, Volume<byte> metricMask)
    {
        Dataset = dataset;
        Raw = raw;
        Labels = labels;
        Mask = mask;
        MetricMask = metricMask;
    }

    /// <summary>The configuration entry these volumes come from.</summary>
    public SemanticDataset Dataset { get; }

    /// <summary>The raw uint8 voxels.</summary>
    public Volume<byte> Raw { get; }

    /// <summary>The merged classes: 0 for background and for voxels claimed by two or more classes, else the class id.</summary>
    public Volume<byte> Labels { get; }

    /// <summary>1 inside the sample, 0 outside (all 1 when the entry names no mask).</summary>
    public Volume<byte> Mask { get; }

    /// <summary>1 where every metric mask is nonzero, else 0 (all 1 when the entry names none).</summary>
    public Volume<byte> MetricMask { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Raw.Dispose();
        Labels.Dispose();
        Mask.Dispose();
        MetricMask.Dispose();
    }
}
