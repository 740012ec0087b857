namespace CellVision.Segmentation;

/// <summary>The source voxels whose bins a buffer holds: planes Z0…Z0+Depth−1, rows Y0…Y0+Height−1, every column.</summary>
internal readonly record struct BinWindow(int Z0, int Y0, int Depth, int Height);
