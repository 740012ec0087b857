using System.Runtime.InteropServices;

namespace CellVision.Torch.Native;

/// <summary>Owns one native <c>cvt_tensor</c> reference and releases it exactly once.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>A handle that stands for "no tensor" in optional native arguments.</summary>
    internal static readonly TensorHandle Null = new(0, ownsHandle: false);

    internal TensorHandle(nint handle, bool ownsHandle = true) : base(0, ownsHandle) => SetHandle(handle);

    /// <summary>Required by the interop marshaller.</summary>
    public TensorHandle() : base(0, true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.cvt_tensor_free(handle);
        return true;
    }
}
