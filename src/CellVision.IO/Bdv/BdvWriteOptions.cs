namespace CellVision.IO.Bdv;

/// <summary>How <see cref="BdvWriter"/> stores a dataset.</summary>
public sealed record BdvWriteOptions
{
    /// <summary>Mipmap levels, full resolution included; null (default) adds halved levels while the new level's smallest XY side stays at least 64 voxels.</summary>
    public int? Levels { get; init; }

    /// <summary>Chunk (block) size X, Y, Z (BDV's "subdivisions"); default 32×32×4.</summary>
    public int[] ChunkSize { get; init; } = [32, 32, 4];

    /// <summary>Deflate level 0–9 (default 6, as BDV's exporter); 0 stores raw chunks.</summary>
    public int DeflateLevel { get; init; } = 6;

    /// <summary>Write one partition file per timepoint (<c>name-TT-SS.h5</c>) and a master file of external links.</summary>
    public bool Partitioned { get; init; }

    /// <summary>Voxel unit written to the XML (default "micron").</summary>
    public string Unit { get; init; } = "micron";
}
