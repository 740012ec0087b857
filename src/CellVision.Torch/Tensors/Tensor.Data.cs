using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>Number of dimensions.</summary>
    public int Rank
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_ndim(Handle, out var rank));
            return rank;
        }
    }

    /// <summary>Size of each dimension.</summary>
    public long[] Shape
    {
        get
        {
            var shape = new long[Rank];
            fixed (long* s = shape)
            {
                NativeStatus.Check(NativeMethods.cvt_shape(Handle, s));
            }

            return shape;
        }
    }

    /// <summary>Element step of each dimension in the underlying storage.</summary>
    public long[] Strides
    {
        get
        {
            var strides = new long[Rank];
            fixed (long* s = strides)
            {
                NativeStatus.Check(NativeMethods.cvt_strides(Handle, s));
            }

            return strides;
        }
    }

    /// <summary>Offset, in elements, of the first element in the underlying storage.</summary>
    public long StorageOffset
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_storage_offset(Handle, out var offset));
            return offset;
        }
    }

    /// <summary>Total number of elements.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var size in Shape)
            {
                count *= size;
            }

            return count;
        }
    }

    /// <summary>Size of dimension <paramref name="dimension"/> (negative counts from the end).</summary>
    /// <param name="dimension">The dimension.</param>
    public long Size(int dimension)
    {
        var shape = Shape;
        var index = dimension < 0 ? dimension + shape.Length : dimension;
        if ((uint)index >= (uint)shape.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"The tensor has {shape.Length} dimensions.");
        }

        return shape[index];
    }

    /// <summary>Element type.</summary>
    public ScalarType ScalarType
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_dtype(Handle, out var type));
            return (ScalarType)type;
        }
    }

    /// <summary>The device holding the elements.</summary>
    public Device Device
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_device(Handle, out var type, out var index));
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>
    /// Whether the tensor is in oneDNN's blocked layout (<see cref="ToMkldnn"/>), which only oneDNN's operations read:
    /// convolution, in-place ReLU, max pooling, <see cref="ToDense"/>.
    /// </summary>
    public bool IsMkldnn
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_is_mkldnn(Handle, out var mkldnn));
            return mkldnn != 0;
        }
    }

    /// <summary>Whether elements lie in C order without gaps.</summary>
    public bool IsContiguous
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_is_contiguous(Handle, out var contiguous));
            return contiguous != 0;
        }
    }

    /// <summary>Whether this tensor and <paramref name="other"/> share memory (one is a view of the other).</summary>
    /// <param name="other">Another tensor.</param>
    public bool SharesStorageWith(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        NativeStatus.Check(NativeMethods.cvt_same_storage(Handle, other.Handle, out var same));
        return same != 0;
    }

    /// <summary>The value of a one-element tensor, converted to double.</summary>
    /// <exception cref="TorchException">The tensor has more than one element.</exception>
    public double ToScalar()
    {
        NativeStatus.Check(NativeMethods.cvt_item(Handle, out var value));
        return value;
    }

    /// <summary>Copies the elements (in C order, from any device) into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The .NET type of <see cref="ScalarType"/>.</typeparam>
    /// <param name="destination">Exactly <see cref="ElementCount"/> elements.</param>
    /// <exception cref="ArgumentException">The element type or the length does not match.</exception>
    public void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        var requested = ScalarTypes.Of<T>();
        var actual = ScalarType;
        if (requested != actual)
        {
            throw new ArgumentException($"The tensor holds {actual} elements but {typeof(T).Name} ({requested}) was requested; convert first with To(ScalarType.{requested}).", nameof(destination));
        }

        var count = ElementCount;
        if (destination.Length != count)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements but the tensor has {count}.", nameof(destination));
        }

        fixed (T* d = destination)
        {
            NativeStatus.Check(NativeMethods.cvt_copy_to_buffer(Handle, d, count * sizeof(T)));
        }
    }

    /// <summary>Copies the elements (in C order, from any device) into a new array.</summary>
    /// <typeparam name="T">The .NET type of <see cref="ScalarType"/>.</typeparam>
    /// <exception cref="ArgumentException">The element type does not match.</exception>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var result = new T[ElementCount];
        CopyTo<T>(result);
        return result;
    }
}
