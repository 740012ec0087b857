using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator +(Tensor left, Tensor right) => NotNull(left).Add(right);

    /// <summary>Adds a number to every element.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator +(Tensor left, double right) => Result(NativeMethods.cvt_add_scalar(Other(left), right, out var r), r);

    /// <summary>Adds a number to every element.</summary>
    /// <param name="left">The number.</param>
    /// <param name="right">The tensor.</param>
    public static Tensor operator +(double left, Tensor right) => right + left;

    /// <summary>Element-wise difference.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator -(Tensor left, Tensor right) => NotNull(left).Subtract(right);

    /// <summary>Subtracts a number from every element.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator -(Tensor left, double right) => Result(NativeMethods.cvt_add_scalar(Other(left), -right, out var r), r);

    /// <summary>Subtracts every element from a number.</summary>
    /// <param name="left">The number.</param>
    /// <param name="right">The tensor.</param>
    public static Tensor operator -(double left, Tensor right) => Result(NativeMethods.cvt_rsub_scalar(Other(right), left, out var r), r);

    /// <summary>Element-wise negation.</summary>
    /// <param name="value">The tensor.</param>
    public static Tensor operator -(Tensor value) => NotNull(value).Negate();

    /// <summary>Element-wise product.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator *(Tensor left, Tensor right) => NotNull(left).Multiply(right);

    /// <summary>Multiplies every element by a number.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator *(Tensor left, double right) => Result(NativeMethods.cvt_mul_scalar(Other(left), right, out var r), r);

    /// <summary>Multiplies every element by a number.</summary>
    /// <param name="left">The number.</param>
    /// <param name="right">The tensor.</param>
    public static Tensor operator *(double left, Tensor right) => right * left;

    /// <summary>Element-wise division.</summary>
    /// <param name="left">Dividend.</param>
    /// <param name="right">Divisor.</param>
    public static Tensor operator /(Tensor left, Tensor right) => NotNull(left).Divide(right);

    /// <summary>Divides every element by a number.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator /(Tensor left, double right) => Result(NativeMethods.cvt_div_scalar(Other(left), right, out var r), r);

    /// <summary>Divides a number by every element.</summary>
    /// <param name="left">The number.</param>
    /// <param name="right">The tensor.</param>
    public static Tensor operator /(double left, Tensor right) => Result(NativeMethods.cvt_rdiv_scalar(Other(right), left, out var r), r);

    /// <summary>Element-wise <c>left &lt; right</c> (bool tensor).</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator <(Tensor left, Tensor right) => Result(NativeMethods.cvt_lt(Other(left), Other(right), out var r), r);

    /// <summary>Element-wise <c>left &gt; right</c> (bool tensor).</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator >(Tensor left, Tensor right) => Result(NativeMethods.cvt_gt(Other(left), Other(right), out var r), r);

    /// <summary>Element-wise <c>left ≤ right</c> (bool tensor).</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator <=(Tensor left, Tensor right) => Result(NativeMethods.cvt_le(Other(left), Other(right), out var r), r);

    /// <summary>Element-wise <c>left ≥ right</c> (bool tensor).</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    public static Tensor operator >=(Tensor left, Tensor right) => Result(NativeMethods.cvt_ge(Other(left), Other(right), out var r), r);

    /// <summary>Element-wise <c>left &lt; right</c> (bool tensor).</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator <(Tensor left, double right) => Result(NativeMethods.cvt_lt_scalar(Other(left), right, out var r), r);

    /// <summary>Element-wise <c>left &gt; right</c> (bool tensor).</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator >(Tensor left, double right) => Result(NativeMethods.cvt_gt_scalar(Other(left), right, out var r), r);

    /// <summary>Element-wise <c>left ≤ right</c> (bool tensor).</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator <=(Tensor left, double right) => Result(NativeMethods.cvt_le_scalar(Other(left), right, out var r), r);

    /// <summary>Element-wise <c>left ≥ right</c> (bool tensor).</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The number.</param>
    public static Tensor operator >=(Tensor left, double right) => Result(NativeMethods.cvt_ge_scalar(Other(left), right, out var r), r);
}
