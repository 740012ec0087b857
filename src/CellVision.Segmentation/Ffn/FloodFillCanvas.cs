using System.Diagnostics;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// The reference inference canvas (google/ffn <c>inference.Canvas</c>, spec A.3.3–A.3.7) for one volume: the object
/// mask in logits (NaN where never predicted), the int32 segmentation with −1 markers on seeds not to be tried again,
/// and the accepted objects. Each step copies the field of view around a position into preallocated windows, runs the
/// network with a batch of one, applies the disconnected-seed bias and writes the logits back.
/// </summary>
internal sealed class FloodFillCanvas : IDisposable
{
    private readonly Volume<float> image;
    private readonly Volume<bool>? allowed;
    private readonly IFloodFillNetwork network;
    private readonly FloodFillInferenceOptions options;
    private readonly (int Z, int Y, int X) fieldOfView;
    private readonly (int Z, int Y, int X) radius;
    private readonly float initialLogit;
    private readonly float padLogit;
    private readonly float moveLogit;
    private readonly float segmentLogit;
    private readonly double disconnectedThreshold;
    private readonly Volume<float> seed;
    private readonly Volume<int> segmentation;
    private readonly float[] imageWindow;
    private readonly float[] seedWindow;
    private readonly float[] logits;
    private readonly FaceMaxMovementQueue movement;
    private readonly List<FloodFillSegment> segments = [];
    private readonly HashSet<int> assignedIds = [];
    private int maxId;
    private (int Z, int Y, int X) minPosition;
    private (int Z, int Y, int X) maxPosition;
    private (int Z, int Y, int X) dirtyLow;
    private (int Z, int Y, int X) dirtyHigh;

    /// <summary>Creates a canvas over a normalised image.</summary>
    /// <param name="image">The normalised float32 image (borrowed; it must outlive the canvas).</param>
    /// <param name="network">The network step.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="allowed">Where seeds and field-of-view centres may go (borrowed); null for everywhere.</param>
    internal FloodFillCanvas(Volume<float> image, IFloodFillNetwork network, FloodFillInferenceOptions options, Volume<bool>? allowed)
    {
        this.image = image;
        this.network = network;
        this.options = options;
        this.allowed = allowed;
        fieldOfView = network.FieldOfView;
        radius = (fieldOfView.Z / 2, fieldOfView.Y / 2, fieldOfView.X / 2);
        initialLogit = FloodFillInferenceOptions.Logit32(options.InitialActivation);
        padLogit = FloodFillInferenceOptions.Logit32(options.PadValue);
        moveLogit = FloodFillInferenceOptions.Logit32(options.MoveThreshold);
        segmentLogit = FloodFillInferenceOptions.Logit32(options.SegmentThreshold);
        disconnectedThreshold = (float)options.DisconnectedSeedThreshold;
        var windowLength = fieldOfView.Z * fieldOfView.Y * fieldOfView.X;
        imageWindow = new float[windowLength];
        seedWindow = new float[windowLength];
        logits = new float[windowLength];
        seed = Volume<float>.CreateUninitialized(image.Depth, image.Height, image.Width);
        seed.Span.Fill(float.NaN);
        segmentation = new Volume<int>(image.Depth, image.Height, image.Width);
        dirtyLow = (image.Depth, image.Height, image.Width);
        dirtyHigh = (-1, -1, -1);
        movement = new FaceMaxMovementQueue(fieldOfView, network.Deltas, FloodFillInferenceOptions.Logit64(options.MoveThreshold), (image.Depth, image.Height, image.Width), p => IsValidPosition(p, ignoreMoveThreshold: false));
    }

    /// <summary>The segmentation with its −1 markers.</summary>
    internal Volume<int> Segmentation => segmentation;

    /// <summary>The accepted objects in id order.</summary>
    internal IReadOnlyList<FloodFillSegment> Segments => segments;

    /// <summary>Network steps run so far.</summary>
    internal long Steps { get; private set; }

    /// <summary>Whether each attempt records the positions it visited (the reference's <c>keep_history</c>).</summary>
    internal bool KeepVisited { get; init; }

    /// <summary>The largest id in use; the next object gets the next free one.</summary>
    internal int MaxId
    {
        get => maxId;
        set => maxId = value;
    }

    /// <summary>
    /// Starts from an existing segmentation (the reference's <c>init_segmentation_from_volume</c>): its objects are
    /// never overwritten, and seeds and moves avoid them. Ids above <see cref="MaxId"/> raise it.
    /// </summary>
    /// <exception cref="ArgumentException">An id does not fit the canvas's int32 labels.</exception>
    internal void Prefill(ReadOnlySpan<uint> labels)
    {
        var target = segmentation.Span;
        for (var i = 0; i < target.Length; i++)
        {
            if (labels[i] > int.MaxValue)
            {
                throw new ArgumentException($"The existing segmentation holds id {labels[i]}; flood filling keeps ids up to {int.MaxValue}.", nameof(labels));
            }

            target[i] = (int)labels[i];
            maxId = Math.Max(maxId, target[i]);
        }
    }

    /// <summary>The seed policy's seeds for the current segmentation and allowed region (spec A.3.8).</summary>
    internal List<(int Z, int Y, int X)> FindSeeds(CancellationToken cancellationToken)
    {
        bool[]? forbidden = null;
        if (allowed is not null)
        {
            forbidden = new bool[allowed.Length];
            var span = allowed.Span;
            for (var i = 0; i < forbidden.Length; i++)
            {
                forbidden[i] = !span[i];
            }
        }

        var excluded = new bool[segmentation.Length];
        var labels = segmentation.Span;
        for (var i = 0; i < excluded.Length; i++)
        {
            excluded[i] = labels[i] > 0 || (forbidden is not null && forbidden[i]);
        }

        return PeakSeedPolicy.Seeds(image, excluded, forbidden, radius, cancellationToken);
    }

    /// <summary>Tries every seed in order with the reference's accept and reject rules (spec A.3.7).</summary>
    internal List<FloodFillAttempt> SegmentAll(IReadOnlyList<(int Z, int Y, int X)> seeds, IProgress<FloodFillProgress>? progress, CancellationToken cancellationToken)
    {
        var attempts = new List<FloodFillAttempt>(seeds.Count);
        foreach (var position in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            attempts.Add(TrySeed(position, cancellationToken));
            progress?.Report(new FloodFillProgress(attempts.Count, seeds.Count, segments.Count, Steps));
        }

        return attempts;
    }

    /// <summary>The labels as saved: the segmentation with its −1 markers set to 0.</summary>
    internal Volume<uint> Labels()
    {
        var labels = Volume<uint>.CreateUninitialized(segmentation.Depth, segmentation.Height, segmentation.Width, image.VoxelSize, image.Origin);
        var source = segmentation.Span;
        var target = labels.Span;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = (uint)Math.Max(source[i], 0);
        }

        return labels;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        seed.Dispose();
        segmentation.Dispose();
    }

    private FloodFillAttempt TrySeed((int Z, int Y, int X) position, CancellationToken cancellationToken)
    {
        if (!IsValidPosition(position, ignoreMoveThreshold: true) || !IsAllowed(position))
        {
            return new FloodFillAttempt(position, FloodFillSeedOutcome.Invalid, 0, 0);
        }

        if (IsNearSegment(position))
        {
            segmentation[position.Z, position.Y, position.X] = -1;
            return new FloodFillAttempt(position, FloodFillSeedOutcome.NearSegment, 0, 0);
        }

        var visited = KeepVisited ? new List<(int Z, int Y, int X)>() : null;
        var clock = Stopwatch.StartNew();
        var steps = SegmentAt(position, visited, cancellationToken);
        var attempt = new FloodFillAttempt(position, FloodFillSeedOutcome.NoSteps, steps, 0) { Visited = visited };
        if (steps <= 0)
        {
            return attempt;
        }

        if (seed[position.Z, position.Y, position.X] < moveLogit)
        {
            Mark(position);
            return attempt with { Outcome = FloodFillSeedOutcome.WeakSeed };
        }

        var low = (Math.Max(minPosition.Z - radius.Z, 0), Math.Max(minPosition.Y - radius.Y, 0), Math.Max(minPosition.X - radius.X, 0));
        var high = (Math.Min(maxPosition.Z + radius.Z, seed.Depth - 1), Math.Min(maxPosition.Y + radius.Y, seed.Height - 1), Math.Min(maxPosition.X + radius.X, seed.Width - 1));
        var (newVoxels, overlaps) = CountMask(low, high);
        if (newVoxels < options.MinimumSegmentSize)
        {
            Mark(position);
            return attempt with { Outcome = FloodFillSeedOutcome.TooSmall, NewVoxels = newVoxels };
        }

        var id = NextId();
        WriteMask(low, high, id);
        segments.Add(new FloodFillSegment((uint)id, position, steps, newVoxels, overlaps, clock.Elapsed));
        return attempt with { Outcome = FloodFillSeedOutcome.Accepted, SegmentId = (uint)id, NewVoxels = newVoxels };
    }

    /// <summary>Grows one object from <paramref name="start"/> (the reference's <c>segment_at</c>); returns the steps run.</summary>
    private int SegmentAt((int Z, int Y, int X) start, List<(int Z, int Y, int X)>? visited, CancellationToken cancellationToken)
    {
        ClearSeed();
        seed[start.Z, start.Y, start.X] = initialLogit;
        Touch(start, start);
        movement.Reset(start);
        minPosition = start;
        maxPosition = start;
        movement.Append(start);
        var steps = 0;
        while (movement.TryNext(out var position))
        {
            if (seed[start.Z, start.Y, start.X] < moveLogit)
            {
                break;
            }

            if (!IsAllowed(position))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            UpdateAt(position);
            minPosition = (Math.Min(minPosition.Z, position.Z), Math.Min(minPosition.Y, position.Y), Math.Min(minPosition.X, position.X));
            maxPosition = (Math.Max(maxPosition.Z, position.Z), Math.Max(maxPosition.Y, position.Y), Math.Max(maxPosition.X, position.X));
            steps++;
            Steps++;
            visited?.Add(position);
            movement.Update(logits, position);
        }

        return steps;
    }

    /// <summary>One network step at <paramref name="position"/> (the reference's <c>update_at</c>, spec A.3.4).</summary>
    private void UpdateAt((int Z, int Y, int X) position)
    {
        var (z0, y0, x0) = (position.Z - radius.Z, position.Y - radius.Y, position.X - radius.X);
        var rowLength = fieldOfView.X;
        var window = 0;
        for (var dz = 0; dz < fieldOfView.Z; dz++)
        {
            for (var dy = 0; dy < fieldOfView.Y; dy++, window += rowLength)
            {
                image.Row(z0 + dz, y0 + dy).Slice(x0, rowLength).CopyTo(imageWindow.AsSpan(window, rowLength));
                WindowKernels.CopyReplacingNaN(seed.Row(z0 + dz, y0 + dy).Slice(x0, rowLength), seedWindow.AsSpan(window, rowLength), padLogit);
            }
        }

        network.Predict(imageWindow, seedWindow, logits, 1);

        var reached = WindowKernels.CountAtLeast(logits, moveLogit, out var hasNaN);
        if (hasNaN)
        {
            throw new InvalidOperationException($"The flood-filling network returned NaN logits at position ({position.Z}, {position.Y}, {position.X}).");
        }

        // The disconnected-seed bias: once some of the window reaches the move threshold, voxels already predicted
        // outside the object (old logit below 0) keep their old value instead of rising. NaN old values never match.
        var bias = disconnectedThreshold >= 0 && (double)reached / logits.Length > disconnectedThreshold;
        window = 0;
        for (var dz = 0; dz < fieldOfView.Z; dz++)
        {
            for (var dy = 0; dy < fieldOfView.Y; dy++, window += rowLength)
            {
                var seedRow = seed.Row(z0 + dz, y0 + dy).Slice(x0, rowLength);
                var predicted = logits.AsSpan(window, rowLength);
                if (bias)
                {
                    WindowKernels.KeepFallenValues(seedRow, predicted);
                }

                predicted.CopyTo(seedRow);
            }
        }

        Touch((z0, y0, x0), (z0 + fieldOfView.Z - 1, y0 + fieldOfView.Y - 1, x0 + fieldOfView.X - 1));
    }

    /// <summary>The reference's <c>is_valid_pos</c>: enough image around it, the seed at the move threshold (unless starting), not segmented.</summary>
    private bool IsValidPosition((int Z, int Y, int X) position, bool ignoreMoveThreshold)
    {
        if (position.Z - radius.Z < 0 || position.Y - radius.Y < 0 || position.X - radius.X < 0 ||
            position.Z + radius.Z >= seed.Depth || position.Y + radius.Y >= seed.Height || position.X + radius.X >= seed.Width)
        {
            return false;
        }

        if (!ignoreMoveThreshold && seed[position.Z, position.Y, position.X] < moveLogit)
        {
            return false;
        }

        return segmentation[position.Z, position.Y, position.X] <= 0;
    }

    private bool IsAllowed((int Z, int Y, int X) position) => allowed is null || allowed[position.Z, position.Y, position.X];

    /// <summary>
    /// Whether a segmented voxel lies in the inclusive box of ± the minimum boundary distance. The box is clipped at 0
    /// (NumPy would wrap a negative start, which only happens for distances beyond the field-of-view radius).
    /// </summary>
    private bool IsNearSegment((int Z, int Y, int X) position)
    {
        var distance = options.MinimumBoundaryDistance;
        for (var z = Math.Max(position.Z - distance.Z, 0); z <= Math.Min(position.Z + distance.Z, segmentation.Depth - 1); z++)
        {
            for (var y = Math.Max(position.Y - distance.Y, 0); y <= Math.Min(position.Y + distance.Y, segmentation.Height - 1); y++)
            {
                var row = segmentation.Row(z, y);
                for (var x = Math.Max(position.X - distance.X, 0); x <= Math.Min(position.X + distance.X, segmentation.Width - 1); x++)
                {
                    if (row[x] > 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Marks a rejected seed so it is not tried again (only where nothing is written yet).</summary>
    private void Mark((int Z, int Y, int X) position)
    {
        ref var label = ref segmentation[position.Z, position.Y, position.X];
        if (label == 0)
        {
            label = -1;
        }
    }

    /// <summary>Voxels of the box at or above the segment threshold: how many are free (0 or −1), and which objects hold the others.</summary>
    private (long NewVoxels, IReadOnlyList<(uint Id, long Voxels)> Overlaps) CountMask((int Z, int Y, int X) low, (int Z, int Y, int X) high)
    {
        long free = 0;
        SortedDictionary<int, long>? overlaps = null;
        for (var z = low.Z; z <= high.Z; z++)
        {
            for (var y = low.Y; y <= high.Y; y++)
            {
                var seedRow = seed.Row(z, y);
                var labelRow = segmentation.Row(z, y);
                for (var x = low.X; x <= high.X; x++)
                {
                    if (seedRow[x] >= segmentLogit)
                    {
                        var label = labelRow[x];
                        if (label <= 0)
                        {
                            free++;
                        }
                        else
                        {
                            overlaps ??= [];
                            overlaps[label] = overlaps.GetValueOrDefault(label) + 1;
                        }
                    }
                }
            }
        }

        return (free, overlaps is null ? [] : [.. overlaps.Select(o => ((uint)o.Key, o.Value))]);
    }

    private void WriteMask((int Z, int Y, int X) low, (int Z, int Y, int X) high, int id)
    {
        for (var z = low.Z; z <= high.Z; z++)
        {
            for (var y = low.Y; y <= high.Y; y++)
            {
                var seedRow = seed.Row(z, y);
                var labelRow = segmentation.Row(z, y);
                for (var x = low.X; x <= high.X; x++)
                {
                    if (seedRow[x] >= segmentLogit && labelRow[x] <= 0)
                    {
                        labelRow[x] = id;
                    }
                }
            }
        }
    }

    /// <summary>The reference's <c>get_next_segment_id</c>: one above the largest id, skipping ids this canvas assigned.</summary>
    private int NextId()
    {
        maxId++;
        while (assignedIds.Contains(maxId))
        {
            maxId++;
        }

        assignedIds.Add(maxId);
        return maxId;
    }

    /// <summary>Resets the mask to NaN (the reference clears the whole volume; only the box written since the last reset differs from NaN).</summary>
    private void ClearSeed()
    {
        for (var z = dirtyLow.Z; z <= dirtyHigh.Z; z++)
        {
            for (var y = dirtyLow.Y; y <= dirtyHigh.Y; y++)
            {
                seed.Row(z, y)[dirtyLow.X..(dirtyHigh.X + 1)].Fill(float.NaN);
            }
        }

        dirtyLow = (seed.Depth, seed.Height, seed.Width);
        dirtyHigh = (-1, -1, -1);
    }

    private void Touch((int Z, int Y, int X) low, (int Z, int Y, int X) high)
    {
        dirtyLow = (Math.Min(dirtyLow.Z, low.Z), Math.Min(dirtyLow.Y, low.Y), Math.Min(dirtyLow.X, low.X));
        dirtyHigh = (Math.Max(dirtyHigh.Z, high.Z), Math.Max(dirtyHigh.Y, high.Y), Math.Max(dirtyHigh.X, high.X));
    }
}
