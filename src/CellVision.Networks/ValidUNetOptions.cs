using CellVision.Torch;

namespace CellVision.Networks;

/// <summary>
/// The shape of a <see cref="ValidUNet"/>, as the arguments of funlib.learn.torch's <c>UNet</c>. The defaults are incasem's
/// semantic-segmentation network (one input channel, 32 feature maps doubling per level, three 2×2×2 max pools) and
/// funlib's default kernels (two 3×3×3 convolutions per level on both paths).
/// </summary>
public sealed record ValidUNetOptions
{
    private static readonly Size3[] DefaultKernels = [new(3, 3, 3), new(3, 3, 3)];

    /// <summary>Input channels (incasem: 1).</summary>
    public int InputChannels { get; init; } = 1;

    /// <summary>Feature maps of the top level, which is also the output width (funlib's <c>num_fmaps</c>; incasem: 32).</summary>
    public int FeatureMaps { get; init; } = 32;

    /// <summary>Factor between the feature maps of consecutive levels (funlib's <c>fmap_inc_factor</c>; incasem: 2).</summary>
    public int FeatureMapFactor { get; init; } = 2;

    /// <summary>
    /// The max-pool size (= stride, = upsampling factor) below each level, top first, Z, Y, X (funlib's
    /// <c>downsample_factors</c>; incasem: three 2×2×2). Serial-section data often pool (1, 2, 2). There are
    /// <c>DownsampleFactors.Count + 1</c> levels.
    /// </summary>
    public IReadOnlyList<Size3> DownsampleFactors { get; init; } = [new(2, 2, 2), new(2, 2, 2), new(2, 2, 2)];

    /// <summary>
    /// Kernel sizes of each level's convolutions on the down path, top first: one list per level, one size per
    /// convolution (funlib's <c>kernel_size_down</c>). Null for two 3×3×3 convolutions per level.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Size3>>? DownKernelSizes { get; init; }

    /// <summary>
    /// Kernel sizes of each level's convolutions on the up path, top first, one list for each level but the bottom one
    /// (funlib's <c>kernel_size_up</c>). Null for two 3×3×3 convolutions per level.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Size3>>? UpKernelSizes { get; init; }

    /// <summary>Number of levels: one more than the number of downsampling factors.</summary>
    public int Levels => DownsampleFactors.Count + 1;

    /// <summary>Feature maps at <paramref name="level"/> (0 = top): <c>FeatureMaps · FeatureMapFactor^level</c>.</summary>
    /// <param name="level">The level.</param>
    public long FeatureMapsAt(int level)
    {
        var maps = (long)FeatureMaps;
        for (var i = 0; i < level; i++)
        {
            maps *= FeatureMapFactor;
        }

        return maps;
    }

    internal IReadOnlyList<Size3> DownKernels(int level) => DownKernelSizes?[level] ?? DefaultKernels;

    internal IReadOnlyList<Size3> UpKernels(int level) => UpKernelSizes?[level] ?? DefaultKernels;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InputChannels, 1, nameof(InputChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(FeatureMaps, 1, nameof(FeatureMaps));
        ArgumentOutOfRangeException.ThrowIfLessThan(FeatureMapFactor, 1, nameof(FeatureMapFactor));
        if (DownsampleFactors is null || DownsampleFactors.Any(f => f.Depth < 1 || f.Height < 1 || f.Width < 1))
        {
            throw new ArgumentException("Every downsampling factor must be at least 1 along each axis.", nameof(DownsampleFactors));
        }

        CheckKernels(DownKernelSizes, Levels, nameof(DownKernelSizes));
        CheckKernels(UpKernelSizes, Levels - 1, nameof(UpKernelSizes));
    }

    private static void CheckKernels(IReadOnlyList<IReadOnlyList<Size3>>? kernels, int levels, string name)
    {
        if (kernels is null)
        {
            return;
        }

        if (kernels.Count != levels)
        {
            throw new ArgumentException($"{name} needs one list of kernel sizes per level ({levels}); got {kernels.Count}.", name);
        }

        for (var level = 0; level < levels; level++)
        {
            if (kernels[level] is not { Count: > 0 } sizes || sizes.Any(k => k.Depth < 1 || k.Height < 1 || k.Width < 1))
            {
                throw new ArgumentException($"{name}[{level}] needs at least one kernel size, each at least 1 along every axis.", name);
            }
        }
    }
}
