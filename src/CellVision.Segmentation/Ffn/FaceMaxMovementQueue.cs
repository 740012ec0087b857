namespace CellVision.Segmentation;

/// <summary>
/// The reference movement policy <c>FaceMaxMovementPolicy</c> (spec A.3.5). After each step it looks at the six faces
/// of the cube of ±delta around the prediction's centre, takes each face's first maximum in C order, keeps those at or
/// above the threshold, sorts them by (score, offset) in descending order and appends them to a FIFO queue. Positions
/// are popped from the front; one is dropped when its cell of the delta-sized lattice around the seed was already
/// visited, or when the canvas finds it invalid at pop time.
/// </summary>
internal sealed class FaceMaxMovementQueue
{
    private readonly int[] centre;
    private readonly int[] deltas;
    private readonly int[] faceSteps;
    private readonly double scoreThreshold;
    private readonly Func<(int Z, int Y, int X), bool> isValidPosition;
    private readonly List<(int Z, int Y, int X)> queue = [];
    private readonly Candidate[] candidates = new Candidate[6];
    private readonly int[] visitedStamps;
    private readonly (int Z, int Y, int X) lowestCell;
    private readonly (int Z, int Y, int X) cellCounts;
    private int stamp;
    private int head;
    private (int Z, int Y, int X) start;

    /// <summary>Creates the queue for one canvas.</summary>
    /// <param name="fieldOfView">The network's window, Z, Y, X.</param>
    /// <param name="deltas">The move step, Z, Y, X (each at most the window's radius).</param>
    /// <param name="scoreThreshold">The float64 logit of the move threshold (the reference runner builds the policy with it).</param>
    /// <param name="shape">The canvas shape, which bounds the lattice cells a segment can reach.</param>
    /// <param name="isValidPosition">The canvas's check, made when a position is popped.</param>
    internal FaceMaxMovementQueue((int Z, int Y, int X) fieldOfView, (int Z, int Y, int X) deltas, double scoreThreshold, (int Z, int Y, int X) shape, Func<(int Z, int Y, int X), bool> isValidPosition)
    {
        centre = [fieldOfView.Z / 2, fieldOfView.Y / 2, fieldOfView.X / 2];
        this.deltas = [deltas.Z, deltas.Y, deltas.X];
        faceSteps = [fieldOfView.Y * fieldOfView.X, fieldOfView.X, 1];
        this.scoreThreshold = scoreThreshold;
        this.isValidPosition = isValidPosition;
        var low = (Cell(-(shape.Z - 1), deltas.Z), Cell(-(shape.Y - 1), deltas.Y), Cell(-(shape.X - 1), deltas.X));
        var high = (Cell(shape.Z - 1, deltas.Z), Cell(shape.Y - 1, deltas.Y), Cell(shape.X - 1, deltas.X));
        lowestCell = low;
        cellCounts = (high.Item1 - low.Item1 + 1, high.Item2 - low.Item2 + 1, high.Item3 - low.Item3 + 1);
        visitedStamps = new int[cellCounts.Z * cellCounts.Y * cellCounts.X];
    }

    /// <summary>Empties the queue and forgets the visited cells, for a segment seeded at <paramref name="seed"/>.</summary>
    internal void Reset((int Z, int Y, int X) seed)
    {
        queue.Clear();
        head = 0;
        stamp++;
        start = seed;
    }

    /// <summary>Appends a position at the back of the queue.</summary>
    internal void Append((int Z, int Y, int X) position) => queue.Add(position);

    /// <summary>Pops positions until one is in an unvisited cell and valid; false when the queue runs empty.</summary>
    internal bool TryNext(out (int Z, int Y, int X) position)
    {
        while (head < queue.Count)
        {
            position = queue[head++];
            if (visitedStamps[CellIndex(position)] == stamp)
            {
                continue;
            }

            if (isValidPosition(position))
            {
                return true;
            }
        }

        position = default;
        return false;
    }

    /// <summary>Marks <paramref name="position"/>'s cell visited and queues the moves that <paramref name="logits"/> supports.</summary>
    internal void Update(ReadOnlySpan<float> logits, (int Z, int Y, int X) position)
    {
        visitedStamps[CellIndex(position)] = stamp;
        var count = 0;
        Span<int> move = stackalloc int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            if (deltas[axis] == 0)
            {
                continue;
            }

            var (first, second) = axis switch { 0 => (1, 2), 1 => (0, 2), _ => (0, 1) };
            foreach (var offset in (ReadOnlySpan<int>)[-deltas[axis], deltas[axis]])
            {
                // The face at centre + offset along the axis, restricted to centre ± delta along the other two; its
                // first maximum in C order.
                var origin = ((centre[axis] + offset) * faceSteps[axis]) + ((centre[first] - deltas[first]) * faceSteps[first]) + ((centre[second] - deltas[second]) * faceSteps[second]);
                var best = float.NegativeInfinity;
                var (bestFirst, bestSecond) = (-1, -1);
                for (var i = 0; i <= 2 * deltas[first]; i++)
                {
                    var row = origin + (i * faceSteps[first]);
                    for (var j = 0; j <= 2 * deltas[second]; j++)
                    {
                        var value = logits[row + (j * faceSteps[second])];
                        if (value > best || bestFirst < 0)
                        {
                            (best, bestFirst, bestSecond) = (value, i, j);
                        }
                    }
                }

                if (best < scoreThreshold)
                {
                    continue;
                }

                move[axis] = offset;
                move[first] = bestFirst - deltas[first];
                move[second] = bestSecond - deltas[second];
                var candidate = new Candidate(best, move[0], move[1], move[2]);
                if (!candidates.AsSpan(0, count).Contains(candidate))
                {
                    candidates[count++] = candidate;
                }
            }
        }

        // Descending (score, dz, dy, dx), as Python's sorted(..., reverse=True) orders the (score, offset) tuples.
        candidates.AsSpan(0, count).Sort(static (a, b) => b.CompareTo(a));
        foreach (var candidate in candidates.AsSpan(0, count))
        {
            queue.Add((position.Z + candidate.Dz, position.Y + candidate.Dy, position.X + candidate.Dx));
        }
    }

    /// <summary>The lattice cell of a coordinate relative to the seed: <c>floor((p − start + delta // 2) / max(delta, 1))</c>.</summary>
    internal static int Cell(int relative, int delta)
    {
        var numerator = relative + (delta / 2);
        var denominator = Math.Max(delta, 1);
        var quotient = Math.DivRem(numerator, denominator, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private int CellIndex((int Z, int Y, int X) position)
    {
        var z = Cell(position.Z - start.Z, deltas[0]) - lowestCell.Z;
        var y = Cell(position.Y - start.Y, deltas[1]) - lowestCell.Y;
        var x = Cell(position.X - start.X, deltas[2]) - lowestCell.X;
        return (((z * cellCounts.Y) + y) * cellCounts.X) + x;
    }

    /// <summary>A scored move: the face maximum and the offset to it.</summary>
    private readonly record struct Candidate(float Score, int Dz, int Dy, int Dx) : IComparable<Candidate>
    {
        public int CompareTo(Candidate other)
        {
            var byScore = Score.CompareTo(other.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            var byZ = Dz.CompareTo(other.Dz);
            return byZ != 0 ? byZ : Dy != other.Dy ? Dy.CompareTo(other.Dy) : Dx.CompareTo(other.Dx);
        }
    }
}
