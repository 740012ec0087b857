using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed partial class Tensor
{
    /// <summary>Adds <c>alpha × other</c> to this tensor in place.</summary>
    /// <param name="other">The tensor to add, broadcasting.</param>
    /// <param name="alpha">Multiplier of <paramref name="other"/>.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddInPlace(Tensor other, double alpha = 1)
    {
        NativeStatus.Check(NativeMethods.cvt_add_(Handle, Other(other), alpha));
        return this;
    }

    /// <summary>Adds a number to every element in place.</summary>
    /// <param name="value">The number.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddInPlace(double value)
    {
        NativeStatus.Check(NativeMethods.cvt_add_scalar_(Handle, value));
        return this;
    }

    /// <summary>Multiplies every element by a number in place.</summary>
    /// <param name="value">The number.</param>
    /// <returns>This tensor.</returns>
    public Tensor MultiplyInPlace(double value)
    {
        NativeStatus.Check(NativeMethods.cvt_mul_scalar_(Handle, value));
        return this;
    }

    /// <summary>Adds <c>value × a × b</c> in place.</summary>
    /// <param name="a">First factor.</param>
    /// <param name="b">Second factor.</param>
    /// <param name="value">Multiplier.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddProductInPlace(Tensor a, Tensor b, double value = 1)
    {
        NativeStatus.Check(NativeMethods.cvt_addcmul_(Handle, Other(a), Other(b), value));
        return this;
    }

    /// <summary>Adds <c>value × a / b</c> in place.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    /// <param name="value">Multiplier.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddQuotientInPlace(Tensor a, Tensor b, double value = 1)
    {
        NativeStatus.Check(NativeMethods.cvt_addcdiv_(Handle, Other(a), Other(b), value));
        return this;
    }

    /// <summary>Copies the elements of <paramref name="source"/> into this tensor (broadcasting, converting type and device).</summary>
    /// <param name="source">The values.</param>
    /// <returns>This tensor.</returns>
    public Tensor CopyFrom(Tensor source)
    {
        NativeStatus.Check(NativeMethods.cvt_copy_(Handle, Other(source)));
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This tensor.</returns>
    public Tensor FillInPlace(double value)
    {
        NativeStatus.Check(NativeMethods.cvt_fill_(Handle, value));
        return this;
    }

    /// <summary>Replaces negative elements by 0 in place (<c>relu_</c>); autograd allows it after ops whose backward does not need their output, such as convolutions.</summary>
    /// <returns>This tensor.</returns>
    public Tensor ReluInPlace()
    {
        NativeStatus.Check(NativeMethods.cvt_relu_(Handle));
        return this;
    }

    /// <summary>Sets every element to zero.</summary>
    /// <returns>This tensor.</returns>
    public Tensor ZeroInPlace()
    {
        NativeStatus.Check(NativeMethods.cvt_zero_(Handle));
        return this;
    }

    /// <summary>Limits every element to [<paramref name="min"/>, <paramref name="max"/>] in place.</summary>
    /// <param name="min">Lower bound, or null.</param>
    /// <param name="max">Upper bound, or null.</param>
    /// <returns>This tensor.</returns>
    public Tensor ClampInPlace(double? min = null, double? max = null)
    {
        NativeStatus.Check(NativeMethods.cvt_clamp_(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
        return this;
    }

    /// <summary>Fills with uniform random numbers in [<paramref name="from"/>, <paramref name="to"/>) from libtorch's generator (as <c>tensor.uniform_</c>).</summary>
    /// <param name="from">Lower bound.</param>
    /// <param name="to">Upper bound.</param>
    /// <returns>This tensor.</returns>
    public Tensor UniformInPlace(double from = 0, double to = 1)
    {
        NativeStatus.Check(NativeMethods.cvt_uniform_(Handle, from, to));
        return this;
    }

    /// <summary>Fills with normal random numbers from libtorch's generator (as <c>tensor.normal_</c>).</summary>
    /// <param name="mean">Mean.</param>
    /// <param name="standardDeviation">Standard deviation.</param>
    /// <returns>This tensor.</returns>
    public Tensor NormalInPlace(double mean = 0, double standardDeviation = 1)
    {
        NativeStatus.Check(NativeMethods.cvt_normal_(Handle, mean, standardDeviation));
        return this;
    }
}
