namespace CellVision.Segmentation;

/// <summary>Progress of flood-filling inference over subvolumes, reported after every seed.</summary>
/// <param name="Subvolume">The subvolume being segmented (0-based, in Z, Y, X order).</param>
/// <param name="SubvolumeCount">Subvolumes in the volume.</param>
/// <param name="Seeds">Progress within the subvolume.</param>
public readonly record struct FloodFillSubvolumeProgress(int Subvolume, int SubvolumeCount, FloodFillProgress Seeds);
