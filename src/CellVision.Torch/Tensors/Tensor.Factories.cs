using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>A tensor of the given shape filled with zeros.</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="type">Element type (default float32).</param>
    /// <param name="device">Device (default CPU).</param>
    /// <param name="requiresGrad">Whether autograd records operations on it.</param>
    public static Tensor Zeros(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = default, bool requiresGrad = false) =>
        Create(shape, type, device, requiresGrad, &NativeMethods.cvt_zeros);

    /// <summary>A tensor of the given shape filled with ones.</summary>
    /// <inheritdoc cref="Zeros" path="/param"/>
    public static Tensor Ones(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = default, bool requiresGrad = false) =>
        Create(shape, type, device, requiresGrad, &NativeMethods.cvt_ones);

    /// <summary>A tensor of the given shape with uninitialised contents.</summary>
    /// <inheritdoc cref="Zeros" path="/param"/>
    public static Tensor Empty(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = default, bool requiresGrad = false) =>
        Create(shape, type, device, requiresGrad, &NativeMethods.cvt_empty);

    /// <summary>A tensor of the given shape with every element equal to <paramref name="value"/>.</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="type">Element type (default float32).</param>
    /// <param name="device">Device (default CPU).</param>
    /// <param name="requiresGrad">Whether autograd records operations on it.</param>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, ScalarType type = ScalarType.Float32, Device device = default, bool requiresGrad = false)
    {
        device.EnsureAvailable();
        fixed (long* s = shape)
        {
            return Finish(Result(NativeMethods.cvt_full(s, shape.Length, value, (int)type, (int)device.Type, device.Index, out var r), r), requiresGrad);
        }
    }

    /// <summary>Uniform random numbers in [0, 1), drawn from libtorch's generator (same stream as <c>torch.rand</c>).</summary>
    /// <inheritdoc cref="Zeros" path="/param"/>
    public static Tensor RandomUniform(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = default, bool requiresGrad = false) =>
        Create(shape, type, device, requiresGrad, &NativeMethods.cvt_rand);

    /// <summary>Standard normal random numbers, drawn from libtorch's generator (same stream as <c>torch.randn</c>).</summary>
    /// <inheritdoc cref="Zeros" path="/param"/>
    public static Tensor RandomNormal(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = default, bool requiresGrad = false) =>
        Create(shape, type, device, requiresGrad, &NativeMethods.cvt_randn);

    /// <summary>Values from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) in steps of <paramref name="step"/>, as <c>torch.arange</c>.</summary>
    /// <param name="start">First value.</param>
    /// <param name="end">Bound that is not reached.</param>
    /// <param name="step">Distance between values; must not be 0.</param>
    /// <param name="type">Element type (default float32).</param>
    /// <param name="device">Device (default CPU).</param>
    public static Tensor Arange(double start, double end, double step = 1, ScalarType type = ScalarType.Float32, Device device = default)
    {
        device.EnsureAvailable();
        return Result(NativeMethods.cvt_arange(start, end, step, (int)type, (int)device.Type, device.Index, out var r), r);
    }

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive, as <c>torch.linspace</c>.</summary>
    /// <param name="start">First value.</param>
    /// <param name="end">Last value.</param>
    /// <param name="steps">Number of values.</param>
    /// <param name="type">Element type (default float32).</param>
    /// <param name="device">Device (default CPU).</param>
    public static Tensor Linspace(double start, double end, long steps, ScalarType type = ScalarType.Float32, Device device = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        device.EnsureAvailable();
        return Result(NativeMethods.cvt_linspace(start, end, steps, (int)type, (int)device.Type, device.Index, out var r), r);
    }

    /// <summary>A zero-dimensional tensor holding one value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="type">Element type (default float32).</param>
    /// <param name="device">Device (default CPU).</param>
    public static Tensor Scalar(double value, ScalarType type = ScalarType.Float32, Device device = default)
    {
        device.EnsureAvailable();
        return Result(NativeMethods.cvt_scalar_tensor(value, (int)type, (int)device.Type, device.Index, out var r), r);
    }

    /// <summary>Copies <paramref name="data"/> (C order) into a new CPU tensor of the given shape.</summary>
    /// <typeparam name="T">Element type: float, double, Half, BFloat16, long, int, short, sbyte, byte or bool.</typeparam>
    /// <param name="data">The elements, last dimension fastest.</param>
    /// <param name="shape">Size of each dimension; their product must equal the length of <paramref name="data"/>.</param>
    /// <exception cref="ArgumentException">The shape does not match the number of elements.</exception>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var type = ScalarTypes.Of<T>();
        long count = 1;
        foreach (var size in shape)
        {
            if (size < 0)
            {
                throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] has a negative size.", nameof(shape));
            }

            count *= size;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {count} elements but {data.Length} were given.", nameof(shape));
        }

        fixed (T* d = data)
        fixed (long* s = shape)
        {
            return Result(NativeMethods.cvt_from_data(d, s, shape.Length, (int)type, out var r), r);
        }
    }

    /// <summary>Copies a one-dimensional array into a new CPU tensor.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="data">The elements.</param>
    public static Tensor FromArray<T>(T[] data)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, [data.LongLength]);
    }

    private static Tensor Create(ReadOnlySpan<long> shape, ScalarType type, Device device, bool requiresGrad, delegate*<long*, int, int, int, int, out nint, int> creator)
    {
        device.EnsureAvailable();
        fixed (long* s = shape)
        {
            return Finish(Result(creator(s, shape.Length, (int)type, (int)device.Type, device.Index, out var r), r), requiresGrad);
        }
    }

    private static Tensor Finish(Tensor tensor, bool requiresGrad)
    {
        if (requiresGrad)
        {
            tensor.RequiresGrad = true;
        }

        return tensor;
    }
}
