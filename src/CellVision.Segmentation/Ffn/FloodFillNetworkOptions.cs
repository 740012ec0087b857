namespace CellVision.Segmentation;

/// <summary>
/// The shape of a flood-filling network (google/ffn's <c>ConvStack3DFFNModel</c>). The defaults are the published FIB-25
/// model's (<c>depth 12, fov_size 33³, deltas 8³</c>, 32 features): 638,433 parameters.
/// </summary>
public sealed record FloodFillNetworkOptions
{
    /// <summary>Convolution modules: the first pair plus depth − 1 residual pairs (default 12, the published model; the reference class defaults to 9).</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Feature maps of every convolution (default 32).</summary>
    public int Features { get; init; } = 32;

    /// <summary>The field of view in voxels, Z, Y, X (default 33³); odd on every axis.</summary>
    public (int Z, int Y, int X) FieldOfView { get; init; } = (33, 33, 33);

    /// <summary>The move step in voxels, Z, Y, X (default 8³); at most half the field of view less one.</summary>
    public (int Z, int Y, int X) Deltas { get; init; } = (8, 8, 8);

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Depth is < 1 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "The depth must lie in 1..128.");
        }

        if (Features is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(Features), Features, "The feature count must lie in 1..4096.");
        }

        foreach (var (fov, delta, axis) in new[] { (FieldOfView.Z, Deltas.Z, "Z"), (FieldOfView.Y, Deltas.Y, "Y"), (FieldOfView.X, Deltas.X, "X") })
        {
            if (fov < 3 || fov % 2 == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(FieldOfView), FieldOfView, $"The field of view must be odd and at least 3 on every axis ({axis} is {fov}).");
            }

            if (delta < 0 || delta > (fov / 2) - 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Deltas), Deltas, $"The move step on {axis} must lie in 0..{(fov / 2) - 1} for a field of view of {fov}.");
            }
        }
    }
}
