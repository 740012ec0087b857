using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed partial class Tensor
{
    /// <summary><c>this + alpha × other</c>, broadcasting.</summary>
    /// <param name="other">The tensor to add.</param>
    /// <param name="alpha">Multiplier of <paramref name="other"/>.</param>
    public Tensor Add(Tensor other, double alpha = 1) => Result(NativeMethods.cvt_add(Handle, Other(other), alpha, out var r), r);

    /// <summary><c>this − alpha × other</c>, broadcasting.</summary>
    /// <param name="other">The tensor to subtract.</param>
    /// <param name="alpha">Multiplier of <paramref name="other"/>.</param>
    public Tensor Subtract(Tensor other, double alpha = 1) => Result(NativeMethods.cvt_sub(Handle, Other(other), alpha, out var r), r);

    /// <summary>Element-wise product, broadcasting.</summary>
    /// <param name="other">The other factor.</param>
    public Tensor Multiply(Tensor other) => Result(NativeMethods.cvt_mul(Handle, Other(other), out var r), r);

    /// <summary>Element-wise true division, broadcasting.</summary>
    /// <param name="other">The divisor.</param>
    public Tensor Divide(Tensor other) => Result(NativeMethods.cvt_div(Handle, Other(other), out var r), r);

    /// <summary>Element-wise power with tensor exponents.</summary>
    /// <param name="exponent">Exponents, broadcasting.</param>
    public Tensor Pow(Tensor exponent) => Result(NativeMethods.cvt_pow(Handle, Other(exponent), out var r), r);

    /// <summary>Element-wise power.</summary>
    /// <param name="exponent">The exponent.</param>
    public Tensor Pow(double exponent) => Result(NativeMethods.cvt_pow_scalar(Handle, exponent, out var r), r);

    /// <summary>Element-wise <c>e^x</c>.</summary>
    public Tensor Exp() => Result(NativeMethods.cvt_exp(Handle, out var r), r);

    /// <summary>Element-wise natural logarithm.</summary>
    public Tensor Log() => Result(NativeMethods.cvt_log(Handle, out var r), r);

    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt() => Result(NativeMethods.cvt_sqrt(Handle, out var r), r);

    /// <summary>Element-wise absolute value.</summary>
    public Tensor Abs() => Result(NativeMethods.cvt_abs(Handle, out var r), r);

    /// <summary>Element-wise negation.</summary>
    public Tensor Negate() => Result(NativeMethods.cvt_neg(Handle, out var r), r);

    /// <summary>Element-wise logistic function <c>1 / (1 + e^-x)</c>.</summary>
    public Tensor Sigmoid() => Result(NativeMethods.cvt_sigmoid(Handle, out var r), r);

    /// <summary>Element-wise hyperbolic tangent.</summary>
    public Tensor Tanh() => Result(NativeMethods.cvt_tanh(Handle, out var r), r);

    /// <summary>Element-wise <c>max(x, 0)</c>.</summary>
    public Tensor Relu() => Result(NativeMethods.cvt_relu(Handle, out var r), r);

    /// <summary>Element-wise <c>x</c> for positive x, <c>negativeSlope × x</c> otherwise.</summary>
    /// <param name="negativeSlope">Slope for negative inputs (PyTorch default 0.01).</param>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Result(NativeMethods.cvt_leaky_relu(Handle, negativeSlope, out var r), r);

    /// <summary>Softmax along <paramref name="dimension"/>.</summary>
    /// <param name="dimension">The dimension that sums to 1.</param>
    public Tensor Softmax(long dimension) => Result(NativeMethods.cvt_softmax(Handle, dimension, out var r), r);

    /// <summary>Logarithm of the softmax along <paramref name="dimension"/>, computed stably.</summary>
    /// <param name="dimension">The dimension.</param>
    public Tensor LogSoftmax(long dimension) => Result(NativeMethods.cvt_log_softmax(Handle, dimension, out var r), r);

    /// <summary>Matrix product with NumPy broadcasting rules, as <c>torch.matmul</c>.</summary>
    /// <param name="other">The right operand.</param>
    public Tensor MatrixMultiply(Tensor other) => Result(NativeMethods.cvt_matmul(Handle, Other(other), out var r), r);

    /// <summary>Element-wise equality (bool tensor).</summary>
    /// <param name="other">The other operand, broadcasting.</param>
    public Tensor Equal(Tensor other) => Result(NativeMethods.cvt_eq(Handle, Other(other), out var r), r);

    /// <summary>Element-wise inequality (bool tensor).</summary>
    /// <param name="other">The other operand, broadcasting.</param>
    public Tensor NotEqual(Tensor other) => Result(NativeMethods.cvt_ne(Handle, Other(other), out var r), r);

    /// <summary>Element-wise equality with a number (bool tensor).</summary>
    /// <param name="value">The number.</param>
    public Tensor Equal(double value) => Result(NativeMethods.cvt_eq_scalar(Handle, value, out var r), r);

    /// <summary>Element-wise inequality with a number (bool tensor).</summary>
    /// <param name="value">The number.</param>
    public Tensor NotEqual(double value) => Result(NativeMethods.cvt_ne_scalar(Handle, value, out var r), r);

    /// <summary>Picks from <paramref name="whenTrue"/> where <paramref name="condition"/> holds, else from <paramref name="whenFalse"/>.</summary>
    /// <param name="condition">A bool tensor.</param>
    /// <param name="whenTrue">Values where the condition holds.</param>
    /// <param name="whenFalse">Values elsewhere.</param>
    public static Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse) =>
        Result(NativeMethods.cvt_where(Other(condition), Other(whenTrue), Other(whenFalse), out var r), r);

    /// <summary>Limits every element to [<paramref name="min"/>, <paramref name="max"/>]; a null bound is not applied.</summary>
    /// <param name="min">Lower bound, or null.</param>
    /// <param name="max">Upper bound, or null.</param>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Result(NativeMethods.cvt_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, out var r), r);

    private static Tensor NotNull(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor;
    }

    private static TensorHandle Other(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Handle;
    }
}
