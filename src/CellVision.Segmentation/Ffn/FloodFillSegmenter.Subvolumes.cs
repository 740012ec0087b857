using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Segmentation;

/// <summary>Flood filling of volumes larger than one canvas.</summary>
public static partial class FloodFillSegmenter
{
    /// <summary>
    /// Segments a chunked volume subvolume by subvolume, writing the labels into a uint32 array of the same shape.
    /// Subvolumes of <see cref="FloodFillSubvolumeOptions.Size"/> overlap by <see cref="FloodFillSubvolumeOptions.Overlap"/>
    /// (the last one on each axis ends at the volume's end) and run in Z, Y, X order. Each canvas starts from the
    /// labels already in its region: seeds and field-of-view centres avoid them, new objects never overwrite them, and
    /// new ids continue above the largest id in the array. So ids are unique over the volume, and an object that
    /// crosses a border is continued under a new id on the far side; its <see cref="FloodFillSegment.Overlaps"/> names
    /// the object it met.
    /// </summary>
    /// <typeparam name="T">The image's element type (byte for EM); a floating-point image must be finite.</typeparam>
    /// <param name="image">The raw image, three-dimensional.</param>
    /// <param name="labels">A uint32 array of the image's shape: empty (all 0) for a fresh segmentation, or holding objects to keep.</param>
    /// <param name="network">The network step.</param>
    /// <param name="subvolumes">The tiling; null for 250³ subvolumes overlapping by 32.</param>
    /// <param name="options">Inference parameters; null for the reference's.</param>
    /// <param name="allowed">A uint8 array of the image's shape, nonzero where seeds and field-of-view centres may go; null for everywhere.</param>
    /// <param name="progress">Receives a report after every seed.</param>
    /// <param name="cancellationToken">Checked before every network step; subvolumes already written stay written.</param>
    /// <returns>The accepted objects and seed outcomes in volume coordinates.</returns>
    /// <exception cref="ArgumentException">The arrays' shapes or element sizes do not fit, the image has a non-finite voxel, or the network's geometry is unusable.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The network returned NaN logits.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static FloodFillSubvolumeSummary SegmentInSubvolumes<T>(IChunkedVolume image, IChunkedVolume labels, IFloodFillNetwork network, FloodFillSubvolumeOptions? subvolumes = null, FloodFillInferenceOptions? options = null, IChunkedVolume? allowed = null, IProgress<FloodFillSubvolumeProgress>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(network);
        CheckGeometry(network);
        subvolumes = (subvolumes ?? new FloodFillSubvolumeOptions()).Validate();
        options = (options ?? new FloodFillInferenceOptions()).Validate();
        if (image.Rank != 3 || image.Shape.Any(s => s > int.MaxValue))
        {
            throw new ArgumentException($"Flood filling needs a three-dimensional image; it is [{string.Join(", ", image.Shape)}].", nameof(image));
        }

        CheckCompanion(image, labels, sizeof(uint), nameof(labels), "uint32");
        if (allowed is not null)
        {
            CheckCompanion(image, allowed, sizeof(byte), nameof(allowed), "uint8");
        }

        var grid = Tile(((int)image.Shape[0], (int)image.Shape[1], (int)image.Shape[2]), subvolumes);
        var maxId = LargestId(labels, grid, cancellationToken);
        var segments = new List<FloodFillSegment>();
        var attempts = new List<FloodFillAttempt>();
        long steps = 0;
        using var kernels = options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        for (var index = 0; index < grid.Count; index++)
        {
            var box = grid[index];
            var corner = ((int)box.Start[0], (int)box.Start[1], (int)box.Start[2]);
            var (depth, height, width) = ((int)box.Size[0], (int)box.Size[1], (int)box.Size[2]);
            using var raw = Volume<T>.CreateUninitialized(depth, height, width);
            image.Read(box, raw.Span, cancellationToken: cancellationToken);
            using var normalized = Normalize(raw, options);
            using var mask = allowed is null ? null : ReadMask(allowed, box, cancellationToken);
            using var canvas = new FloodFillCanvas(normalized, network, options, mask) { MaxId = maxId };
            var existing = new uint[box.ElementCount];
            labels.Read(box, existing.AsSpan(), cancellationToken: cancellationToken);
            canvas.Prefill(existing);
            var seeds = canvas.FindSeeds(cancellationToken);
            var subvolumeProgress = progress is null ? null : new SubvolumeProgress(progress, index, grid.Count);
            var tried = canvas.SegmentAll(seeds, subvolumeProgress, cancellationToken);
            using (var written = canvas.Labels())
            {
                labels.Write(box, (ReadOnlySpan<uint>)written.Span, cancellationToken: cancellationToken);
            }

            maxId = canvas.MaxId;
            steps += canvas.Steps;
            attempts.AddRange(tried.Select(a => a with { Seed = Add(a.Seed, corner), Visited = a.Visited?.Select(p => Add(p, corner)).ToList() }));
            segments.AddRange(canvas.Segments.Select(s => s with { Seed = Add(s.Seed, corner) }));
        }

        return new FloodFillSubvolumeSummary(segments, attempts, steps, grid.Count);
    }

    /// <summary>The subvolume boxes in Z, Y, X order: starts every size − overlap voxels, the last one aligned with the volume's end.</summary>
    internal static List<Box> Tile((int Z, int Y, int X) shape, FloodFillSubvolumeOptions subvolumes)
    {
        var (zs, depth) = Starts(shape.Z, subvolumes.Size.Z, subvolumes.Overlap.Z);
        var (ys, height) = Starts(shape.Y, subvolumes.Size.Y, subvolumes.Overlap.Y);
        var (xs, width) = Starts(shape.X, subvolumes.Size.X, subvolumes.Overlap.X);
        var boxes = new List<Box>();
        foreach (var z in zs)
        {
            foreach (var y in ys)
            {
                foreach (var x in xs)
                {
                    boxes.Add(Box.FromZyx(z, y, x, depth, height, width));
                }
            }
        }

        return boxes;
    }

    private static (List<int> Starts, int Size) Starts(int length, int size, int overlap)
    {
        size = Math.Min(size, length);
        var starts = new List<int>();
        for (var start = 0; start < length - size; start += size - overlap)
        {
            starts.Add(start);
        }

        starts.Add(length - size);
        return (starts, size);
    }

    private static int LargestId(IChunkedVolume labels, List<Box> grid, CancellationToken cancellationToken)
    {
        var largest = 0u;
        foreach (var box in grid)
        {
            var existing = new uint[box.ElementCount];
            labels.Read(box, existing.AsSpan(), cancellationToken: cancellationToken);
            foreach (var id in existing)
            {
                largest = Math.Max(largest, id);
            }
        }

        return largest > int.MaxValue
            ? throw new ArgumentException($"The label array holds id {largest}; flood filling keeps ids up to {int.MaxValue}.", nameof(labels))
            : (int)largest;
    }

    private static Volume<bool> ReadMask(IChunkedVolume allowed, Box box, CancellationToken cancellationToken)
    {
        var bytes = new byte[box.ElementCount];
        allowed.Read(box, bytes.AsSpan(), cancellationToken: cancellationToken);
        var mask = Volume<bool>.CreateUninitialized((int)box.Size[0], (int)box.Size[1], (int)box.Size[2]);
        var span = mask.Span;
        for (var i = 0; i < bytes.Length; i++)
        {
            span[i] = bytes[i] != 0;
        }

        return mask;
    }

    private static void CheckCompanion(IChunkedVolume image, IChunkedVolume companion, int elementSize, string name, string type)
    {
        if (!companion.Shape.SequenceEqual(image.Shape) || companion.ElementSize != elementSize)
        {
            throw new ArgumentException($"The {name} array must be {type} with the image's shape [{string.Join(", ", image.Shape)}]; it has shape [{string.Join(", ", companion.Shape)}] and {companion.ElementSize}-byte elements.", name);
        }
    }

    private static (int Z, int Y, int X) Add((int Z, int Y, int X) a, (int Z, int Y, int X) b) => (a.Z + b.Z, a.Y + b.Y, a.X + b.X);

    /// <summary>Forwards a subvolume's seed progress with the subvolume's index.</summary>
    private sealed class SubvolumeProgress(IProgress<FloodFillSubvolumeProgress> target, int index, int count) : IProgress<FloodFillProgress>
    {
        public void Report(FloodFillProgress value) => target.Report(new FloodFillSubvolumeProgress(index, count, value));
    }
}
