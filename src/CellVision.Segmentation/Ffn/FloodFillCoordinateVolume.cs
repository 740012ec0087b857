namespace CellVision.Segmentation;

/// <summary>
/// A volume that training coordinates point into: the name the trainer knows it by (the reference's
/// <c>label_volume_name</c>) and its shape, Z, Y, X.
/// </summary>
/// <param name="Name">The volume's name (e.g. the partition file it came from).</param>
/// <param name="Depth">Planes (Z).</param>
/// <param name="Height">Rows (Y).</param>
/// <param name="Width">Columns (X).</param>
public sealed record FloodFillCoordinateVolume(string Name, int Depth, int Height, int Width);
