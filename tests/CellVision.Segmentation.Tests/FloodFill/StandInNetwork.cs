namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>
/// A deterministic, cheap flood-filling "network" that Golden/ffn_canvas_golden.py computes the same way in float32
/// (class StandIn): the 3×3×3 mean of the image window (edge voxels repeated) becomes a bound
/// <c>clamp((mean − level)·gain, −cap, cap)</c>; voxels with a bound ≥ 0 are bright. Bright voxels 6-connected (within
/// the window) to a bright voxel whose seed logit is ≥ 0 join the object: min(bound, seed − decay) where the seed was
/// already ≥ 0, the bound elsewhere. Other bright voxels keep their seed; dark voxels get their (negative) bound. So
/// objects grow along bright regions, stop at dark membranes, and a seed visited often weakens.
/// </summary>
internal sealed class StandInNetwork((int Z, int Y, int X) fieldOfView, (int Z, int Y, int X) deltas, float level, float gain, float cap, float decay) : IFloodFillNetwork
{
    private readonly float[] bound = new float[fieldOfView.Z * fieldOfView.Y * fieldOfView.X];
    private readonly bool[] anchored = new bool[fieldOfView.Z * fieldOfView.Y * fieldOfView.X];
    private readonly int[] queue = new int[fieldOfView.Z * fieldOfView.Y * fieldOfView.X];

    public (int Z, int Y, int X) FieldOfView => fieldOfView;

    public (int Z, int Y, int X) Deltas => deltas;

    /// <summary>Calls so far.</summary>
    public int Calls { get; private set; }

    public void Predict(ReadOnlySpan<float> image, ReadOnlySpan<float> seed, Span<float> logits, int batchSize)
    {
        Assert.Equal(1, batchSize);
        Calls++;
        var (depth, height, width) = fieldOfView;
        var ninth = (float)(1.0 / 27.0);
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var total = 0f;
                    for (var dz = -1; dz <= 1; dz++)
                    {
                        for (var dy = -1; dy <= 1; dy++)
                        {
                            for (var dx = -1; dx <= 1; dx++)
                            {
                                total += image[Index(Math.Clamp(z + dz, 0, depth - 1), Math.Clamp(y + dy, 0, height - 1), Math.Clamp(x + dx, 0, width - 1))];
                            }
                        }
                    }

                    var mean = total * ninth;
                    bound[Index(z, y, x)] = MathF.Min(MathF.Max((mean - level) * gain, -cap), cap);
                }
            }
        }

        // Flood the bright voxels from every bright voxel whose seed is already on the object side.
        Array.Clear(anchored);
        var head = 0;
        var tail = 0;
        for (var i = 0; i < bound.Length; i++)
        {
            if (bound[i] >= 0 && seed[i] >= 0)
            {
                anchored[i] = true;
                queue[tail++] = i;
            }
        }

        while (head < tail)
        {
            var i = queue[head++];
            var (z, y, x) = (i / (height * width), i / width % height, i % width);
            Visit(z > 0, i - (height * width));
            Visit(z < depth - 1, i + (height * width));
            Visit(y > 0, i - width);
            Visit(y < height - 1, i + width);
            Visit(x > 0, i - 1);
            Visit(x < width - 1, i + 1);
        }

        for (var i = 0; i < bound.Length; i++)
        {
            logits[i] = anchored[i]
                ? (seed[i] >= 0 ? MathF.Min(bound[i], seed[i] - decay) : bound[i])
                : (bound[i] >= 0 ? seed[i] : bound[i]);
        }

        void Visit(bool inside, int neighbour)
        {
            if (inside && !anchored[neighbour] && bound[neighbour] >= 0)
            {
                anchored[neighbour] = true;
                queue[tail++] = neighbour;
            }
        }
    }

    private int Index(int z, int y, int x) => (((z * fieldOfView.Y) + y) * fieldOfView.X) + x;
}
