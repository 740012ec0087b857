namespace CellVision.Networks;

/// <summary>ELEPHANT's patch layout along one axis and the linear blending ramps of each patch.</summary>
public sealed class PatchGrid
{
    private PatchGrid(int size, int patch, int[] starts, int overlap)
    {
        Size = size;
        Patch = patch;
        Starts = starts;
        Overlap = overlap;
    }

    /// <summary>Length of the axis.</summary>
    public int Size { get; }

    /// <summary>Patch length (at most <see cref="Size"/>).</summary>
    public int Patch { get; }

    /// <summary>First voxel of each patch; a patch that would pass the end is shifted back to end there.</summary>
    public int[] Starts { get; }

    /// <summary>Length of the blending ramps.</summary>
    public int Overlap { get; }

    /// <summary>
    /// ELEPHANT's layout: <c>p = min(p, size)</c>; one patch when it covers the axis, else <c>size / p + 1</c> patches
    /// at <c>k · (p − (p·n − size) / (n − 1))</c>, the last one shifted to end at the axis end.
    /// </summary>
    public static PatchGrid Create(int size, int patch)
    {
        if (size < 1 || patch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(patch), $"Axis and patch lengths must be positive; got {size} and {patch}.");
        }

        patch = Math.Min(patch, size);
        var count = size == patch ? 1 : (size / patch) + 1;
        var interval = count == 1 ? 0 : patch - (((patch * count) - size) / (count - 1));
        var overlap = Math.Max(1, patch - interval);
        var starts = new int[count];
        for (var k = 0; k < count; k++)
        {
            starts[k] = Math.Min(k * interval, size - patch);
        }

        return new PatchGrid(size, patch, starts, overlap);
    }

    /// <summary>
    /// Blending weight of each voxel of patch <paramref name="index"/>: 1, with a rising ramp over the first
    /// <see cref="Overlap"/> voxels unless it is the first patch and a falling one over the last unless it is the last.
    /// ELEPHANT's ramps are <c>linspace(0, 1, overlap)</c> (end points included, so a voxel can get weight 0);
    /// <paramref name="positiveRamps"/> uses <c>k / (overlap + 1)</c>, k = 1..overlap, which also sums to 1 across an
    /// overlap but never reaches 0.
    /// </summary>
    public float[] Weights(int index, bool positiveRamps)
    {
        var weights = new float[Patch];
        Array.Fill(weights, 1f);
        for (var i = 0; i < Math.Min(Overlap, Patch); i++)
        {
            var rising = positiveRamps ? (i + 1.0) / (Overlap + 1.0) : Overlap == 1 ? 0.0 : i / (Overlap - 1.0);
            if (index > 0)
            {
                weights[i] *= (float)rising;
            }

            if (index < Starts.Length - 1)
            {
                weights[Patch - Overlap + i] *= (float)(1 - rising);
            }
        }

        return weights;
    }
}
