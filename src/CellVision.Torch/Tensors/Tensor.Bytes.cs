using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>A CPU tensor holding a copy of raw little-endian element bytes.</summary>
    internal static Tensor FromBytes(ReadOnlySpan<byte> bytes, ScalarType type, ReadOnlySpan<long> shape)
    {
        fixed (byte* d = bytes)
        fixed (long* s = shape)
        {
            return Result(NativeMethods.cvt_from_data(d, s, shape.Length, (int)type, out var r), r);
        }
    }

    /// <summary>The elements as raw bytes in C order, copied to the CPU.</summary>
    internal byte[] ToBytes()
    {
        var bytes = new byte[ElementCount * ScalarType.ElementSize()];
        fixed (byte* d = bytes)
        {
            NativeStatus.Check(NativeMethods.cvt_copy_to_buffer(Handle, d, bytes.LongLength));
        }

        return bytes;
    }
}
