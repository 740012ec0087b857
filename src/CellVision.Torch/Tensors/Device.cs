namespace CellVision.Torch;

/// <summary>Kinds of device a tensor can live on. Values equal libtorch's <c>c10::DeviceType</c> codes.</summary>
public enum DeviceType
{
    /// <summary>Main memory, computed by the CPU.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda = 1,
}

/// <summary>A device: CPU, or a numbered CUDA GPU.</summary>
/// <param name="Type">The kind of device.</param>
/// <param name="Index">The GPU number for CUDA; 0 for the CPU.</param>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>The CUDA GPU with the given number.</summary>
    /// <param name="index">Zero-based GPU number.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static Device Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new Device(DeviceType.Cuda, index);
    }

    /// <summary>Throws <see cref="CudaUnavailableException"/> when this is a CUDA device the loaded libtorch cannot use.</summary>
    internal void EnsureAvailable()
    {
        if (Type != DeviceType.Cuda)
        {
            return;
        }

        if (!TorchRuntime.IsCudaAvailable)
        {
            throw new CudaUnavailableException();
        }

        if (Index >= TorchRuntime.CudaDeviceCount)
        {
            throw new CudaUnavailableException($"CUDA device {Index} was requested, but only {TorchRuntime.CudaDeviceCount} GPU(s) are visible.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
