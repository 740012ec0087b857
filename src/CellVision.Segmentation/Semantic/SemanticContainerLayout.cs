using System.Collections.Immutable;

namespace CellVision.Segmentation;

/// <summary>
/// Where incasem keeps the arrays of a prepared Zarr container (its README and <c>01_data_formatting</c> scripts):
/// the raw image at <c>volumes/raw</c>, each organelle's labels at <c>volumes/labels/NAME</c>, their metric masks at
/// <c>volumes/metric_masks/NAME</c> and the sample mask at <c>volumes/mask</c>; and the data-configuration entry that
/// names them.
/// </summary>
public static class SemanticContainerLayout
{
    /// <summary>The raw image's path.</summary>
    public const string Raw = "volumes/raw";

    /// <summary>The sample mask's path.</summary>
    public const string Mask = "volumes/mask";

    /// <summary>The path of the labels named <paramref name="name"/>, e.g. <c>volumes/labels/mito</c>.</summary>
    /// <param name="name">An organelle name (<see cref="IsValidName"/>).</param>
    /// <returns>The path inside the container.</returns>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static string Labels(string name) => "volumes/labels/" + Checked(name);

    /// <summary>The path of the metric mask of the labels named <paramref name="name"/>, e.g. <c>volumes/metric_masks/mito</c>.</summary>
    /// <param name="name">An organelle name (<see cref="IsValidName"/>).</param>
    /// <returns>The path inside the container.</returns>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static string MetricMask(string name) => "volumes/metric_masks/" + Checked(name);

    /// <summary>Whether <paramref name="name"/> can name an array: ASCII letters, digits, '_', '-' and '.', starting with a letter or digit.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>
    /// The data-configuration entry of a container in this layout: the raw image, the labels as classes 1 … K in the
    /// order given, the sample mask and the labels' metric masks when they were written, over the region of interest.
    /// </summary>
    /// <param name="name">The entry's key.</param>
    /// <param name="file">The container, as the configuration names it (relative to the data directory, or absolute).</param>
    /// <param name="offset">Start of the region of interest, Z, Y, X, in voxels from the world origin.</param>
    /// <param name="shape">Extent of the region of interest, Z, Y, X, in voxels.</param>
    /// <param name="voxelSize">Voxel size, Z, Y, X, in nm.</param>
    /// <param name="labels">The organelle names, in class order.</param>
    /// <param name="mask">Whether the container has a sample mask.</param>
    /// <param name="metricMasks">Whether the container has a metric mask for every label.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">A list does not have three values, a name is invalid or repeated.</exception>
    public static SemanticDataset Entry(string name, string file, IReadOnlyList<long> offset, IReadOnlyList<long> shape, IReadOnlyList<double> voxelSize, IReadOnlyList<string> labels, bool mask, bool metricMasks)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(labels);
        if (offset.Count != 3 || shape.Count != 3 || voxelSize.Count != 3)
        {
            throw new ArgumentException("The offset, shape and voxel size need three values each, Z, Y, X.");
        }

        if (labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
        {
            throw new ArgumentException($"The label names [{string.Join(", ", labels)}] repeat; each organelle needs its own name.", nameof(labels));
        }

        return new SemanticDataset
        {
            Name = name,
            File = file,
            Offset = [.. offset],
            Shape = [.. shape],
            VoxelSize = [.. voxelSize],
            Raw = Raw,
            Labels = [.. labels.Select((label, i) => new SemanticLabelDataset(Labels(label), i + 1))],
            Mask = mask ? Mask : null,
            MetricMasks = metricMasks ? [.. labels.Select(MetricMask)] : ImmutableArray<string>.Empty,
        };
    }

    private static string Checked(string name) =>
        IsValidName(name) ? name : throw new ArgumentException($"'{name}' cannot name an array: use ASCII letters, digits, '_', '-' and '.', starting with a letter or digit.", nameof(name));
}
