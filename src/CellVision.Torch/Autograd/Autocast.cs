using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>
/// Mixed precision, as <c>torch.autocast</c>: inside the scope, convolutions, linear layers and matrix products run in
/// a lower precision (bfloat16 on the CPU, float16 on CUDA) while reductions and losses stay in float32.
/// </summary>
public static class Autocast
{
    /// <summary>Whether autocast is on for <paramref name="deviceType"/> on the current thread.</summary>
    /// <param name="deviceType">CPU or CUDA.</param>
    public static bool IsEnabled(DeviceType deviceType)
    {
        NativeStatus.Check(NativeMethods.cvt_autocast_is_enabled((int)deviceType, out var enabled));
        return enabled != 0;
    }

    /// <summary>Turns autocast on for <paramref name="device"/> until the returned scope is disposed.</summary>
    /// <param name="device">The device whose operations are cast.</param>
    /// <param name="type">The lower precision; null picks bfloat16 on the CPU and float16 on CUDA.</param>
    /// <returns>A scope that restores the previous state and clears the cast cache.</returns>
    /// <exception cref="CudaUnavailableException">CUDA was requested without CUDA.</exception>
    public static IDisposable Enable(Device device, ScalarType? type = null)
    {
        device.EnsureAvailable();
        var precision = type ?? (device.Type == DeviceType.Cpu ? ScalarType.BFloat16 : ScalarType.Float16);
        if (precision is not (ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"Autocast lowers precision to BFloat16 or Float16, not {precision}.", nameof(type));
        }

        return new AutocastScope(device.Type, precision);
    }

    private sealed class AutocastScope : IDisposable
    {
        private readonly DeviceType deviceType;
        private readonly bool previous;
        private bool disposed;

        internal AutocastScope(DeviceType deviceType, ScalarType type)
        {
            this.deviceType = deviceType;
            previous = IsEnabled(deviceType);
            NativeStatus.Check(NativeMethods.cvt_autocast_set((int)deviceType, 1, (int)type));
            NativeStatus.Check(NativeMethods.cvt_autocast_increment_nesting());
        }

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            NativeStatus.Check(NativeMethods.cvt_autocast_decrement_nesting());
            NativeStatus.Check(NativeMethods.cvt_autocast_clear_cache());
            NativeStatus.Check(NativeMethods.cvt_autocast_set((int)deviceType, previous ? 1 : 0, (int)(deviceType == DeviceType.Cpu ? ScalarType.BFloat16 : ScalarType.Float16)));
        }
    }
}
