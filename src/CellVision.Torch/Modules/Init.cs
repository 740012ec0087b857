namespace CellVision.Torch;

/// <summary>Which fan <see cref="Init.KaimingNormal"/> and <see cref="Init.KaimingUniform"/> preserve.</summary>
public enum FanMode
{
    /// <summary>Number of inputs per output: preserves the variance of activations (PyTorch default).</summary>
    FanIn,

    /// <summary>Number of outputs per input: preserves the variance of gradients.</summary>
    FanOut,
}

/// <summary>The nonlinearity that follows a layer, for <see cref="Init.CalculateGain"/>.</summary>
public enum Nonlinearity
{
    /// <summary>Identity or convolution without activation: gain 1.</summary>
    Linear,

    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU: gain √(2 / (1 + slope²)) (PyTorch's default for Kaiming init).</summary>
    LeakyRelu,
}

/// <summary>
/// Weight initialisers with PyTorch's exact formulas (<c>torch.nn.init</c>). They draw from libtorch's generator in
/// the same order as PyTorch, so after <see cref="TorchRuntime.ManualSeed"/> the values equal Python's.
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for <paramref name="nonlinearity"/>, as <c>nn.init.calculate_gain</c>.</summary>
    /// <param name="nonlinearity">The activation.</param>
    /// <param name="negativeSlope">Slope of leaky ReLU (PyTorch default 0.01).</param>
    public static double CalculateGain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + (negativeSlope * negativeSlope))),
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Unknown nonlinearity."),
    };

    /// <summary>Fan-in and fan-out of a weight, as PyTorch's <c>_calculate_fan_in_and_fan_out</c>.</summary>
    /// <param name="tensor">A weight of rank 2 or more.</param>
    /// <exception cref="ArgumentException">The rank is below 2.</exception>
    public static (long FanIn, long FanOut) FanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.Shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException("Fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions.", nameof(tensor));
        }

        long receptiveField = 1;
        for (var i = 2; i < shape.Length; i++)
        {
            receptiveField *= shape[i];
        }

        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    /// <summary>Kaiming (He) uniform initialisation: U(−b, b) with b = gain × √(3 / fan).</summary>
    /// <param name="tensor">The weight, filled in place.</param>
    /// <param name="a">Negative slope of the following leaky ReLU (PyTorch default 0).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The following activation (PyTorch default leaky ReLU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        var bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound);
    }

    /// <summary>Kaiming (He) normal initialisation: N(0, std²) with std = gain / √fan.</summary>
    /// <param name="tensor">The weight, filled in place.</param>
    /// <param name="a">Negative slope of the following leaky ReLU (PyTorch default 0).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The following activation (PyTorch default leaky ReLU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        return Normal(tensor, 0, std);
    }

    /// <summary>Xavier (Glorot) uniform initialisation: U(−b, b) with b = gain × √(6 / (fan_in + fan_out)).</summary>
    /// <param name="tensor">The weight, filled in place.</param>
    /// <param name="gain">Scale factor (default 1).</param>
    /// <returns>The tensor.</returns>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        var std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        var bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound);
    }

    /// <summary>Xavier (Glorot) normal initialisation: N(0, std²) with std = gain × √(2 / (fan_in + fan_out)).</summary>
    /// <param name="tensor">The weight, filled in place.</param>
    /// <param name="gain">Scale factor (default 1).</param>
    /// <returns>The tensor.</returns>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        var std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Normal(tensor, 0, std);
    }

    /// <summary>Fills with U(<paramref name="from"/>, <paramref name="to"/>) without recording gradients.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="from">Lower bound.</param>
    /// <param name="to">Upper bound.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Uniform(Tensor tensor, double from = 0, double to = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradientMode.NoGrad())
        {
            return tensor.UniformInPlace(from, to);
        }
    }

    /// <summary>Fills with N(<paramref name="mean"/>, <paramref name="standardDeviation"/>²) without recording gradients.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="mean">Mean.</param>
    /// <param name="standardDeviation">Standard deviation.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Normal(Tensor tensor, double mean = 0, double standardDeviation = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradientMode.NoGrad())
        {
            return tensor.NormalInPlace(mean, standardDeviation);
        }
    }

    /// <summary>Fills with zeros.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Fills with ones.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>Fills with <paramref name="value"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The value.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Constant(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradientMode.NoGrad())
        {
            return tensor.FillInPlace(value);
        }
    }

    /// <summary>PyTorch's default initialisation of convolution and linear layers: Kaiming uniform with a = √5 for the weight, U(±1/√fan_in) for the bias.</summary>
    internal static void ResetLayer(Tensor weight, Tensor? bias)
    {
        KaimingUniform(weight, a: Math.Sqrt(5));
        if (bias is not null)
        {
            var (fanIn, _) = FanInAndFanOut(weight);
            var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Uniform(bias, -bound, bound);
        }
    }

    private static long Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
