namespace CellVision.Segmentation;

/// <summary>
/// One training example (spec A.4.3–A.4.4): a patch of normalised image and soft object mask (0.95 on the centre voxel's
/// object, 0.05 elsewhere) around a coordinate, a fresh seed, and the walk of the field of view over the move offsets,
/// each tried where the current seed has reached the move threshold. The network's output is written back into the
/// seed in place, so later moves see earlier predictions. With a move queue (the reference's <c>max_pred_moves</c>) the
/// walk follows the inference movement policy on the training seed instead of a fixed offset list.
/// </summary>
internal sealed class FloodFillExample
{
    private readonly (int Z, int Y, int X) patch;
    private readonly (int Z, int Y, int X) fov;
    private readonly (int Z, int Y, int X) deltas;
    private readonly FaceMaxMovementQueue? queue;
    private int next;
    private float moveThreshold;

    /// <summary>Creates an example walking a fixed offset list.</summary>
    public FloodFillExample((int Z, int Y, int X) patch, (int Z, int Y, int X) fov)
    {
        this.patch = patch;
        this.fov = fov;
        var length = patch.Z * patch.Y * patch.X;
        Image = new float[length];
        Seed = new float[length];
        Target = new float[length];
    }

    /// <summary>Creates an example whose walk is the inference movement queue (<see cref="FloodFillMovePolicy.MaxPredictionMoves"/>).</summary>
    /// <param name="patch">The patch, the field of view plus one step more than the fixed moves along each direction.</param>
    /// <param name="fov">The network's window.</param>
    /// <param name="deltas">The move step.</param>
    /// <param name="scoreThreshold">The float64 logit of the move threshold, which face maxima must reach.</param>
    public FloodFillExample((int Z, int Y, int X) patch, (int Z, int Y, int X) fov, (int Z, int Y, int X) deltas, double scoreThreshold)
        : this(patch, fov)
    {
        this.deltas = deltas;
        queue = new FaceMaxMovementQueue(fov, deltas, scoreThreshold, patch, IsWantedMove);
    }

    public float[] Image { get; }

    public float[] Seed { get; }

    public float[] Target { get; }

    /// <summary>The offset of the current window from the patch centre, Z, Y, X.</summary>
    public (int Z, int Y, int X) Offset { get; private set; }

    /// <summary>Fills the patch around <paramref name="centre"/>, reflected and Y/X-swapped as drawn, and resets the seed and the walk.</summary>
    public void Load(FloodFillTrainingVolume volume, (int Z, int Y, int X) centre, bool flipZ, bool flipY, bool flipX, bool swapYX, float mean, float scale, float pad, float activation)
    {
        var (pz, py, px) = patch;
        var (sz, sy, sx) = (centre.Z - ((pz - 1) / 2), centre.Y - ((py - 1) / 2), centre.X - ((px - 1) / 2));
        var image = volume.Image.Span;
        var labels = volume.Labels.Span;
        var (height, width) = (volume.Image.Height, volume.Image.Width);
        var centreLabel = volume.Labels[centre.Z, centre.Y, centre.X];
        var i = 0;
        for (var z = 0; z < pz; z++)
        {
            var z0 = sz + (flipZ ? pz - 1 - z : z);
            for (var y = 0; y < py; y++)
            {
                for (var x = 0; x < px; x++)
                {
                    var (a, b) = swapYX ? (x, y) : (y, x);
                    var y0 = sy + (flipY ? py - 1 - a : a);
                    var x0 = sx + (flipX ? px - 1 - b : b);
                    var source = ((long)z0 * height + y0) * width + x0;
                    Image[i] = (image[(int)source] - mean) / scale;
                    var label = labels[(int)source];
                    Target[i] = label != 0 && label == centreLabel ? 0.95f : 0.05f;
                    i++;
                }
            }
        }

        Array.Fill(Seed, pad);
        Seed[Centre()] = activation;
        next = 0;
        queue?.Reset((0, 0, 0));
        queue?.Append((0, 0, 0));
    }

    /// <summary>Advances the walk: along <paramref name="offsets"/> for the fixed policy, else along the move queue.</summary>
    public bool MoveNext(IReadOnlyList<(int Z, int Y, int X)> offsets, float threshold)
    {
        if (queue is null)
        {
            return MoveNextFixed(offsets, threshold);
        }

        moveThreshold = threshold;
        if (queue.TryNext(out var offset))
        {
            Offset = offset;
            return true;
        }

        return false;
    }

    /// <summary>Advances to the next offset whose seed value has reached <paramref name="threshold"/>; false when the walk is over.</summary>
    private bool MoveNextFixed(IReadOnlyList<(int Z, int Y, int X)> offsets, float threshold)
    {
        while (next < offsets.Count)
        {
            var offset = offsets[next++];
            var (cz, cy, cx) = ((patch.Z - 1) / 2, (patch.Y - 1) / 2, (patch.X - 1) / 2);
            if (Seed[Index(cz + offset.Z, cy + offset.Y, cx + offset.X)] >= threshold)
            {
                Offset = offset;
                return true;
            }
        }

        return false;
    }

    /// <summary>Copies the current window of image, seed and target.</summary>
    public void CopyWindow(Span<float> image, Span<float> seed, Span<float> target)
    {
        var i = 0;
        foreach (var start in WindowRows())
        {
            Image.AsSpan(start, fov.X).CopyTo(image[i..]);
            Seed.AsSpan(start, fov.X).CopyTo(seed[i..]);
            Target.AsSpan(start, fov.X).CopyTo(target[i..]);
            i += fov.X;
        }
    }

    /// <summary>Writes the network's logits for the current window into the seed.</summary>
    public void WriteBack(ReadOnlySpan<float> logits)
    {
        var i = 0;
        foreach (var start in WindowRows())
        {
            logits.Slice(i, fov.X).CopyTo(Seed.AsSpan(start, fov.X));
            i += fov.X;
        }

        // The reference looks for new moves in the updated seed's window, which holds exactly these logits.
        queue?.Update(logits, Offset);
    }

    /// <summary>Voxel counts of the central <paramref name="crop"/>: mask (seed ≥ threshold) against object (target &gt; 0.5).</summary>
    public (long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives) Score(float threshold, (int Z, int Y, int X) crop)
    {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        var (z0, y0, x0) = ((patch.Z - crop.Z) / 2, (patch.Y - crop.Y) / 2, (patch.X - crop.X) / 2);
        for (var z = z0; z < z0 + crop.Z; z++)
        {
            for (var y = y0; y < y0 + crop.Y; y++)
            {
                for (var i = Index(z, y, x0); i < Index(z, y, x0 + crop.X); i++)
                {
                    var predicted = Seed[i] >= threshold;
                    var truth = Target[i] > 0.5f;
                    (tp, fp, fn, tn) = (predicted, truth) switch
                    {
                        (true, true) => (tp + 1, fp, fn, tn),
                        (true, false) => (tp, fp + 1, fn, tn),
                        (false, true) => (tp, fp, fn + 1, tn),
                        _ => (tp, fp, fn, tn + 1),
                    };
                }
            }
        }

        return (tp, fp, fn, tn);
    }

    /// <summary>
    /// The reference's test of a queued move (<c>examples.max_pred_offsets</c>): inside the patch's reach, the seed at
    /// the move threshold there, and the true object there unless the move stays in the centre's lattice cell.
    /// </summary>
    private bool IsWantedMove((int Z, int Y, int X) offset)
    {
        var (rz, ry, rx) = ((patch.Z - fov.Z) / 2, (patch.Y - fov.Y) / 2, (patch.X - fov.X) / 2);
        if (Math.Abs(offset.Z) > rz || Math.Abs(offset.Y) > ry || Math.Abs(offset.X) > rx)
        {
            return false;
        }

        var at = Index(((patch.Z - 1) / 2) + offset.Z, ((patch.Y - 1) / 2) + offset.Y, ((patch.X - 1) / 2) + offset.X);
        if (!(Seed[at] >= moveThreshold))
        {
            return false;
        }

        var inCentreCell = FaceMaxMovementQueue.Cell(offset.Z, deltas.Z) == 0 && FaceMaxMovementQueue.Cell(offset.Y, deltas.Y) == 0 && FaceMaxMovementQueue.Cell(offset.X, deltas.X) == 0;
        return inCentreCell || Target[at] >= WantedLabel;
    }

    /// <summary>The label a wanted move needs: the sigmoid of the move threshold's logit, as the reference computes it.</summary>
    private float WantedLabel => (float)(1 / (1 + Math.Exp(-moveThreshold)));

    private int Centre() => Index((patch.Z - 1) / 2, (patch.Y - 1) / 2, (patch.X - 1) / 2);

    private int Index(int z, int y, int x) => ((z * patch.Y) + y) * patch.X + x;

    /// <summary>The patch index of each window row's first voxel, in C order.</summary>
    private IEnumerable<int> WindowRows()
    {
        var (z0, y0, x0) = (((patch.Z - 1) / 2) - (fov.Z / 2) + Offset.Z, ((patch.Y - 1) / 2) - (fov.Y / 2) + Offset.Y, ((patch.X - 1) / 2) - (fov.X / 2) + Offset.X);
        for (var z = 0; z < fov.Z; z++)
        {
            for (var y = 0; y < fov.Y; y++)
            {
                yield return Index(z0 + z, y0 + y, x0);
            }
        }
    }
}
