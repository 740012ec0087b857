using System.Numerics;

namespace CellVision.Segmentation;

/// <summary>Where the CLAHE kernel reads the histogram bin of a voxel (by its index in the window being processed).</summary>
internal interface IBinSource
{
    /// <summary>The bin of the voxel at <paramref name="index"/>.</summary>
    int this[int index] { get; }
}

/// <summary>Bins computed beforehand into an array (the streaming and blockwise paths, which read windows of bins).</summary>
internal readonly struct BinArray<TBin>(TBin[] bins) : IBinSource
    where TBin : unmanaged, IBinaryInteger<TBin>
{
    public int this[int index] => int.CreateTruncating(bins[index]);
}

/// <summary>
/// Bins looked up from the samples on the fly through a table indexed by the sample value, so an in-memory volume needs
/// no volume-sized array of bins. The samples must stay pinned while the kernel runs.
/// </summary>
internal readonly unsafe struct BinnedSamples<TIn>(TIn* samples, ushort[] table) : IBinSource
    where TIn : unmanaged, IBinaryInteger<TIn>
{
    private readonly nint samples = (nint)samples;

    public int this[int index] => table[int.CreateTruncating(((TIn*)samples)[index])];
}
