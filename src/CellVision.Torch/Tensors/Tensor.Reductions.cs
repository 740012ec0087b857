using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>Sum of all elements (zero-dimensional tensor).</summary>
    public Tensor Sum() => Sum([], keepDimension: false);

    /// <summary>Sum over <paramref name="dimensions"/>.</summary>
    /// <param name="dimensions">Dimensions to reduce; empty reduces all.</param>
    /// <param name="keepDimension">Keep reduced dimensions with size 1.</param>
    public Tensor Sum(ReadOnlySpan<long> dimensions, bool keepDimension = false)
    {
        fixed (long* d = dimensions)
        {
            return Result(NativeMethods.cvt_sum(Handle, d, dimensions.Length, keepDimension ? 1 : 0, out var r), r);
        }
    }

    /// <summary>Mean of all elements (zero-dimensional tensor).</summary>
    public Tensor Mean() => Mean([], keepDimension: false);

    /// <summary>Mean over <paramref name="dimensions"/>.</summary>
    /// <param name="dimensions">Dimensions to reduce; empty reduces all.</param>
    /// <param name="keepDimension">Keep reduced dimensions with size 1.</param>
    public Tensor Mean(ReadOnlySpan<long> dimensions, bool keepDimension = false)
    {
        fixed (long* d = dimensions)
        {
            return Result(NativeMethods.cvt_mean(Handle, d, dimensions.Length, keepDimension ? 1 : 0, out var r), r);
        }
    }

    /// <summary>Largest element (zero-dimensional tensor).</summary>
    public Tensor Max() => Result(NativeMethods.cvt_max_all(Handle, out var r), r);

    /// <summary>Smallest element (zero-dimensional tensor).</summary>
    public Tensor Min() => Result(NativeMethods.cvt_min_all(Handle, out var r), r);

    /// <summary>Largest values along <paramref name="dimension"/> and their positions.</summary>
    /// <param name="dimension">The dimension to reduce.</param>
    /// <param name="keepDimension">Keep it with size 1.</param>
    public (Tensor Values, Tensor Indices) Max(long dimension, bool keepDimension = false)
    {
        NativeStatus.Check(NativeMethods.cvt_max_dim(Handle, dimension, keepDimension ? 1 : 0, out var values, out var indices));
        return (Result(0, values), Result(0, indices));
    }

    /// <summary>Smallest values along <paramref name="dimension"/> and their positions.</summary>
    /// <param name="dimension">The dimension to reduce.</param>
    /// <param name="keepDimension">Keep it with size 1.</param>
    public (Tensor Values, Tensor Indices) Min(long dimension, bool keepDimension = false)
    {
        NativeStatus.Check(NativeMethods.cvt_min_dim(Handle, dimension, keepDimension ? 1 : 0, out var values, out var indices));
        return (Result(0, values), Result(0, indices));
    }

    /// <summary>Position of the largest element in the flattened tensor.</summary>
    public Tensor ArgMax() => Result(NativeMethods.cvt_argmax(Handle, 0, 0, 0, out var r), r);

    /// <summary>Positions of the largest elements along <paramref name="dimension"/>.</summary>
    /// <param name="dimension">The dimension to reduce.</param>
    /// <param name="keepDimension">Keep it with size 1.</param>
    public Tensor ArgMax(long dimension, bool keepDimension = false) => Result(NativeMethods.cvt_argmax(Handle, 1, dimension, keepDimension ? 1 : 0, out var r), r);

    /// <summary>The p-norm of all elements (default Euclidean).</summary>
    /// <param name="p">The order of the norm.</param>
    public Tensor Norm(double p = 2) => Result(NativeMethods.cvt_norm(Handle, p, out var r), r);
}
