namespace CellVision.Segmentation;

/// <summary>Settings of the training coordinates (<see cref="FloodFillCoordinates.Build"/>), with google/ffn's README defaults.</summary>
public sealed record FloodFillCoordinateOptions
{
    /// <summary>
    /// Voxels along each face of every volume, Z, Y, X, never sampled, so that the training patch around a centre lies
    /// inside the volume (reference: <c>build_coordinates.py --margin 24,24,24</c>, the FOV radius 16 plus one move of 8).
    /// 0 samples up to the face; the reference's slice <c>[0:-0]</c> would sample nothing there.
    /// </summary>
    public (int Z, int Y, int X) Margin { get; init; } = (24, 24, 24);

    /// <summary>
    /// Seed of the permutations and of the final shuffle: the same seed and volumes give the same coordinates. Null
    /// draws a different order each run, as the reference does (it seeds nothing).
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Margin.Z < 0 || Margin.Y < 0 || Margin.X < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "The margin must be at least 0 voxels on every axis.");
        }
    }
}
