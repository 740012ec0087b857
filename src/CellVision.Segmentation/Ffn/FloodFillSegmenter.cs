using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Segmentation;

/// <summary>
/// Flood-filling network inference over a whole volume, as google/ffn's reference canvas runs it (spec A.3): the image
/// is normalised, seeds come from the peaks of the distance to image edges, and from each seed in (Z, Y, X) order the
/// network's field of view moves to the face maxima of its own prediction until no valid move is left; the object is
/// then accepted or rejected by the reference's rules and written without overwriting earlier objects.
/// </summary>
public static partial class FloodFillSegmenter
{
    /// <summary>Segments a volume of any numeric voxel type (uint8 for EM, as in the reference).</summary>
    /// <typeparam name="T">The voxel type; a floating-point image must be finite.</typeparam>
    /// <param name="image">The raw image; it is normalised with the options' mean and standard deviation (set 0 and 1 for an image normalised already).</param>
    /// <param name="network">The network step (field of view with odd sizes, deltas at most its radius).</param>
    /// <param name="options">Inference parameters; null for the reference's.</param>
    /// <param name="allowed">Where seeds and field-of-view centres may go (the negation of the reference's restrictor mask); null for everywhere. Same shape as the image.</param>
    /// <param name="progress">Receives a report after every seed.</param>
    /// <param name="cancellationToken">Checked before every network step.</param>
    /// <returns>The labels, objects and seed outcomes; dispose it.</returns>
    /// <exception cref="ArgumentException">The image has a NaN or infinite voxel, the network's geometry is unusable, or <paramref name="allowed"/> has another shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The network returned NaN logits.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static FloodFillResult Segment<T>(Volume<T> image, IFloodFillNetwork network, FloodFillInferenceOptions? options = null, Volume<bool>? allowed = null, IProgress<FloodFillProgress>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options = (options ?? new FloodFillInferenceOptions()).Validate();
        using var normalized = Normalize(image, options);
        return Segment(normalized, network, options, allowed, progress, keepVisited: false, cancellationToken);
    }

    /// <summary>The network's input image: <c>(float32(raw) − mean) / standard deviation</c> in float32 (spec A.3.2).</summary>
    /// <typeparam name="T">The voxel type; a floating-point image must be finite.</typeparam>
    /// <param name="image">The raw image.</param>
    /// <param name="options">Supplies the mean and standard deviation; null for the reference's 128 and 33.</param>
    /// <returns>A new volume with the image's voxel size and origin.</returns>
    /// <exception cref="ArgumentException">A voxel is NaN or infinite.</exception>
    public static Volume<float> Normalize<T>(Volume<T> image, FloodFillInferenceOptions? options = null)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        options = (options ?? new FloodFillInferenceOptions()).Validate();
        var mean = (float)options.ImageMean;
        var deviation = (float)options.ImageStandardDeviation;
        var result = Volume<float>.CreateUninitialized(image.Depth, image.Height, image.Width, image.VoxelSize, image.Origin);
        var source = image.Span;
        var target = result.Span;
        for (var i = 0; i < target.Length; i++)
        {
            if (!T.IsFinite(source[i]))
            {
                var (z, y, x) = (i / (image.Height * image.Width), i / image.Width % image.Height, i % image.Width);
                result.Dispose();
                throw new ArgumentException($"The image has a non-finite value ({source[i]}) at voxel (z {z}, y {y}, x {x}); flood filling needs finite intensities.", nameof(image));
            }

            target[i] = (float.CreateTruncating(source[i]) - mean) / deviation;
        }

        return result;
    }

    /// <summary>Runs the canvas over a normalised image; <paramref name="keepVisited"/> records every attempt's positions.</summary>
    internal static FloodFillResult Segment(Volume<float> normalized, IFloodFillNetwork network, FloodFillInferenceOptions options, Volume<bool>? allowed, IProgress<FloodFillProgress>? progress, bool keepVisited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckGeometry(network);
        if (allowed is not null && (allowed.Depth != normalized.Depth || allowed.Height != normalized.Height || allowed.Width != normalized.Width))
        {
            throw new ArgumentException($"The allowed region is {allowed.Depth}×{allowed.Height}×{allowed.Width} voxels but the image is {normalized.Depth}×{normalized.Height}×{normalized.Width}.", nameof(allowed));
        }

        using var kernels = options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        using var canvas = new FloodFillCanvas(normalized, network, options, allowed) { KeepVisited = keepVisited };
        var seeds = canvas.FindSeeds(cancellationToken);
        var attempts = canvas.SegmentAll(seeds, progress, cancellationToken);
        return new FloodFillResult(canvas.Labels(), [.. canvas.Segments], attempts, canvas.Steps);
    }

    private static void CheckGeometry(IFloodFillNetwork network)
    {
        var (fz, fy, fx) = network.FieldOfView;
        var (dz, dy, dx) = network.Deltas;
        if (fz <= 0 || fy <= 0 || fx <= 0 || fz % 2 == 0 || fy % 2 == 0 || fx % 2 == 0)
        {
            throw new ArgumentException($"The network's field of view must have odd, positive sizes (the canvas centres it on a voxel); it is {fz}×{fy}×{fx}.", nameof(network));
        }

        if (dz < 0 || dy < 0 || dx < 0 || dz > fz / 2 || dy > fy / 2 || dx > fx / 2)
        {
            throw new ArgumentException($"The network's deltas ({dz}, {dy}, {dx}) must lie between 0 and the field-of-view radius ({fz / 2}, {fy / 2}, {fx / 2}), so that moves land inside the prediction.", nameof(network));
        }
    }
}
