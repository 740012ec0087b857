using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>Scopes that switch autograd off for the current thread, as <c>torch.no_grad()</c> and <c>torch.inference_mode()</c>.</summary>
public static class GradientMode
{
    /// <summary>Whether autograd records operations on the current thread.</summary>
    public static bool IsEnabled => NativeMethods.cvt_grad_enabled() != 0;

    /// <summary>Stops recording operations until the returned scope is disposed (as <c>with torch.no_grad():</c>).</summary>
    /// <returns>A scope that restores the previous mode.</returns>
    public static IDisposable NoGrad() => new GradModeScope(enabled: false);

    /// <summary>Turns recording on until the returned scope is disposed (as <c>with torch.enable_grad():</c>).</summary>
    /// <returns>A scope that restores the previous mode.</returns>
    public static IDisposable EnableGrad() => new GradModeScope(enabled: true);

    /// <summary>
    /// Inference mode until the returned scope is disposed: no recording and no version tracking, faster than
    /// <see cref="NoGrad"/>. Tensors created inside cannot be used later in autograd. Dispose on the same thread.
    /// </summary>
    /// <returns>A scope that leaves inference mode.</returns>
    public static IDisposable InferenceMode() => new InferenceModeScope();

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        internal GradModeScope(bool enabled)
        {
            previous = IsEnabled;
            NativeStatus.Check(NativeMethods.cvt_set_grad_enabled(enabled ? 1 : 0));
        }

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                NativeStatus.Check(NativeMethods.cvt_set_grad_enabled(previous ? 1 : 0));
            }
        }
    }

    private sealed class InferenceModeScope : IDisposable
    {
        private nint guard;

        internal InferenceModeScope() => NativeStatus.Check(NativeMethods.cvt_inference_mode_enter(out guard));

        public void Dispose()
        {
            if (guard != 0)
            {
                NativeMethods.cvt_inference_mode_exit(guard);
                guard = 0;
            }
        }
    }
}
