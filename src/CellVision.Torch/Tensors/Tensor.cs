using System.Runtime.CompilerServices;
using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>
/// A multi-dimensional array in libtorch, on the CPU or a CUDA GPU, that can record operations for autograd.
/// </summary>
/// <remarks>
/// Every tensor owns one native reference. Release it with <see cref="Dispose"/>, or create tensors inside a
/// <see cref="DisposeScope"/> that releases all temporaries at once. Operations never modify their inputs unless
/// their name ends in "InPlace".
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    private Tensor(nint nativeHandle)
    {
        handle = new TensorHandle(nativeHandle);
        Scope = DisposeScope.Current;
        Scope?.Register(this);
    }

    /// <summary>The dispose scope that will release this tensor, or null when the caller owns it.</summary>
    internal DisposeScope? Scope { get; set; }

    /// <summary>Whether <see cref="Dispose"/> has released this tensor.</summary>
    public bool IsDisposed => handle.IsClosed;

    /// <summary>The native handle, checked for use after disposal.</summary>
    internal TensorHandle Handle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (handle.IsClosed)
            {
                ThrowDisposed();
            }

            return handle;
        }
    }

    /// <summary>Releases the native tensor. Views of it and other references stay valid.</summary>
    public void Dispose()
    {
        Scope?.Forget(this);
        Scope = null;
        handle.Dispose();
    }

    /// <summary>Takes this tensor out of its dispose scope: the caller now owns it and must dispose it.</summary>
    /// <returns>This tensor.</returns>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Forget(this);
        Scope = null;
        return this;
    }

    /// <summary>Wraps a new native handle returned by cvtorch, after checking its status.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Tensor Result(int status, nint nativeHandle)
    {
        NativeStatus.Check(status);
        return new Tensor(nativeHandle);
    }

    /// <summary>Wraps a handle that may be null (for example a missing gradient).</summary>
    internal static Tensor? ResultOrNull(int status, nint nativeHandle)
    {
        NativeStatus.Check(status);
        return nativeHandle == 0 ? null : new Tensor(nativeHandle);
    }

    /// <summary>The native handle of an optional tensor argument.</summary>
    internal static TensorHandle HandleOf(Tensor? tensor) => tensor?.Handle ?? TensorHandle.Null;

    private static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(Tensor), "This tensor has been disposed (directly or by its DisposeScope). Keep it alive with MoveToOuter or DetachFromDisposeScope.");

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={ScalarType}, device={Device})";
}
