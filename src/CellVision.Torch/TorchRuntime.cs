using System.Runtime.InteropServices;
using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>Process-wide facts and settings of the loaded libtorch: version, threads, CUDA, random seed, live tensors.</summary>
public static class TorchRuntime
{
    private static readonly Lock SeedGate = new();

    /// <summary>The libtorch version the native bridge was built against, for example "1.13.1".</summary>
    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.cvt_torch_version()) ?? string.Empty;

    /// <summary>
    /// Number of native tensor handles alive right now. Tests record it before and after a piece of work
    /// to prove that every temporary was released.
    /// </summary>
    public static long LiveTensorCount => NativeMethods.cvt_live_tensors();

    /// <summary>Whether the loaded libtorch was built with CUDA and sees at least one GPU.</summary>
    public static bool IsCudaAvailable => NativeMethods.cvt_cuda_is_available() != 0;

    /// <summary>Number of visible CUDA GPUs (0 without CUDA).</summary>
    public static int CudaDeviceCount => NativeMethods.cvt_cuda_device_count();

    /// <summary>Threads libtorch uses inside one operation (intra-op parallelism).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int ThreadCount
    {
        get => NativeMethods.cvt_get_num_threads();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            NativeStatus.Check(NativeMethods.cvt_set_num_threads(value));
        }
    }

    /// <summary>
    /// Seeds libtorch's random generators, exactly as Python's <c>torch.manual_seed</c>: after the same seed,
    /// <see cref="Tensor.RandomNormal"/>, initialisers and dropout draw the same numbers as PyTorch on the CPU.
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static void ManualSeed(ulong seed) => NativeStatus.Check(NativeMethods.cvt_manual_seed(seed));

    /// <summary>
    /// Seeds libtorch's generators with <paramref name="seed"/> and runs <paramref name="create"/> (typically a model
    /// constructor that draws its initial weights) while no other seeded creation runs, so the same seed gives the same
    /// weights whichever thread asks. The generator stays where <paramref name="create"/> left it.
    /// </summary>
    /// <typeparam name="T">What is created.</typeparam>
    /// <param name="seed">The seed.</param>
    /// <param name="create">Draws the random numbers.</param>
    /// <returns>What <paramref name="create"/> returned.</returns>
    public static T Seeded<T>(ulong seed, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (SeedGate)
        {
            ManualSeed(seed);
            return create();
        }
    }

    /// <summary>Waits until all work queued on a CUDA GPU has finished (for timing).</summary>
    /// <param name="device">The GPU.</param>
    /// <exception cref="CudaUnavailableException">CUDA is not available.</exception>
    public static void Synchronize(Device device)
    {
        if (device.Type == DeviceType.Cpu)
        {
            return;
        }

        device.EnsureAvailable();
        NativeStatus.Check(NativeMethods.cvt_cuda_synchronize(device.Index));
    }
}
