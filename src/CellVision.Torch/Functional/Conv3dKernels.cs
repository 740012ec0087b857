using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>
/// Where float32 CPU 3-D convolutions run on the current thread. PyTorch sends a convolution whose
/// batch × channels × depth × height is at most 20,480 to a slow unfold-and-multiply kernel instead of oneDNN (a rule
/// made for 2-D images, blind to the width); for volumes this catches single-channel inputs and U-Net bottlenecks,
/// which then run 5–20 times slower. By default <see cref="Functional.Conv3d"/> follows PyTorch's choice, so results
/// equal PyTorch's; inside <see cref="ForceOneDnn"/> every float32 CPU 3-D convolution runs on oneDNN: the same sums
/// in another order, so results differ from PyTorch's by float32 rounding (about 1e-5 relative after a deep
/// network). Autocast and other devices and types are not affected.
/// </summary>
public static class Conv3dKernels
{
    /// <summary>Whether every float32 CPU 3-D convolution on the current thread runs on oneDNN.</summary>
    public static bool IsOneDnnForced => NativeMethods.cvt_conv3d_onednn_enabled() != 0;

    /// <summary>Runs every float32 CPU 3-D convolution on oneDNN until the returned scope is disposed.</summary>
    /// <returns>A scope that restores the previous choice. Dispose it on the same thread.</returns>
    public static IDisposable ForceOneDnn() => new OneDnnScope();

    private sealed class OneDnnScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        internal OneDnnScope()
        {
            previous = IsOneDnnForced;
            NativeStatus.Check(NativeMethods.cvt_set_conv3d_onednn(1));
        }

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                NativeStatus.Check(NativeMethods.cvt_set_conv3d_onednn(previous ? 1 : 0));
            }
        }
    }
}
