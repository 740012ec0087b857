using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellVision.Torch.Native;

/// <summary>Turns cvtorch status codes into <see cref="TorchException"/>s.</summary>
internal static class NativeStatus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(int status)
    {
        if (status != 0)
        {
            Throw();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw()
    {
        var message = Marshal.PtrToStringUTF8(NativeMethods.cvt_last_error()) ?? "unknown libtorch error";
        throw new TorchException(message.Trim());
    }
}
