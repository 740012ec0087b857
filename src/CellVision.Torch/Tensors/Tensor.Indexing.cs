using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed partial class Tensor
{
    /// <summary>Entries of <paramref name="dimension"/> at the positions in <paramref name="index"/> (int64).</summary>
    /// <param name="dimension">The dimension to pick from.</param>
    /// <param name="index">One-dimensional int64 positions.</param>
    public Tensor IndexSelect(long dimension, Tensor index) => Result(NativeMethods.cvt_index_select(Handle, dimension, Other(index), out var r), r);

    /// <summary>Values gathered along <paramref name="dimension"/> at <paramref name="index"/>, as <c>torch.gather</c>.</summary>
    /// <param name="dimension">The dimension to gather along.</param>
    /// <param name="index">int64 positions with the same rank as this tensor.</param>
    public Tensor Gather(long dimension, Tensor index) => Result(NativeMethods.cvt_gather(Handle, dimension, Other(index), out var r), r);

    /// <summary>A copy of this tensor with <paramref name="source"/> added at <paramref name="index"/> along <paramref name="dimension"/>, as <c>torch.scatter_add</c>.</summary>
    /// <param name="dimension">The dimension to scatter along.</param>
    /// <param name="index">int64 targets, same shape as <paramref name="source"/>.</param>
    /// <param name="source">Values to add.</param>
    public Tensor ScatterAdd(long dimension, Tensor index, Tensor source) =>
        Result(NativeMethods.cvt_scatter_add(Handle, dimension, Other(index), Other(source), out var r), r);

    /// <summary>A copy of this tensor with <c>alpha × source</c> slices added at entries <paramref name="index"/> of <paramref name="dimension"/>, as <c>torch.index_add</c>.</summary>
    /// <param name="dimension">The dimension to add along.</param>
    /// <param name="index">One-dimensional int64 targets, one per slice of <paramref name="source"/>.</param>
    /// <param name="source">Slices to add.</param>
    /// <param name="alpha">Multiplier of <paramref name="source"/>.</param>
    public Tensor IndexAdd(long dimension, Tensor index, Tensor source, double alpha = 1) =>
        Result(NativeMethods.cvt_index_add(Handle, dimension, Other(index), Other(source), alpha, out var r), r);
}
