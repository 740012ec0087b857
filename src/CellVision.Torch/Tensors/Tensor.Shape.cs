using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>How <see cref="Tensor.Pad"/> fills the border.</summary>
public enum PaddingMode
{
    /// <summary>A constant value.</summary>
    Constant = 0,

    /// <summary>Mirror without repeating the edge (d c b | a b c d | c b a).</summary>
    Reflect = 1,

    /// <summary>Repeat the edge value.</summary>
    Replicate = 2,

    /// <summary>Wrap around.</summary>
    Circular = 3,
}

public sealed unsafe partial class Tensor
{
    /// <summary>The same elements with a new shape; copies only when a view is impossible. One size may be -1.</summary>
    /// <param name="shape">The new shape.</param>
    public Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Result(NativeMethods.cvt_reshape(Handle, s, shape.Length, out var r), r);
        }
    }

    /// <summary>A view with a new shape; fails when the strides do not allow one. One size may be -1.</summary>
    /// <param name="shape">The new shape.</param>
    public Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Result(NativeMethods.cvt_view(Handle, s, shape.Length, out var r), r);
        }
    }

    /// <summary>A view with the dimensions reordered.</summary>
    /// <param name="dimensions">For each output dimension, the input dimension it takes.</param>
    public Tensor Permute(params ReadOnlySpan<long> dimensions)
    {
        fixed (long* d = dimensions)
        {
            return Result(NativeMethods.cvt_permute(Handle, d, dimensions.Length, out var r), r);
        }
    }

    /// <summary>A view with two dimensions swapped.</summary>
    /// <param name="first">One dimension.</param>
    /// <param name="second">The other.</param>
    public Tensor Transpose(long first, long second) => Result(NativeMethods.cvt_transpose(Handle, first, second, out var r), r);

    /// <summary>A view of <paramref name="length"/> entries of <paramref name="dimension"/> from <paramref name="start"/>.</summary>
    /// <param name="dimension">The dimension to cut.</param>
    /// <param name="start">First entry kept.</param>
    /// <param name="length">Number of entries kept.</param>
    public Tensor Narrow(long dimension, long start, long length) => Result(NativeMethods.cvt_narrow(Handle, dimension, start, length, out var r), r);

    /// <summary>A view of entry <paramref name="index"/> of <paramref name="dimension"/>, with that dimension removed.</summary>
    /// <param name="dimension">The dimension.</param>
    /// <param name="index">The entry.</param>
    public Tensor Select(long dimension, long index) => Result(NativeMethods.cvt_select(Handle, dimension, index, out var r), r);

    /// <summary>A view without dimension <paramref name="dimension"/> when its size is 1.</summary>
    /// <param name="dimension">The dimension.</param>
    public Tensor Squeeze(long dimension) => Result(NativeMethods.cvt_squeeze(Handle, dimension, out var r), r);

    /// <summary>A view with a new dimension of size 1 at <paramref name="dimension"/>.</summary>
    /// <param name="dimension">Where to insert it.</param>
    public Tensor Unsqueeze(long dimension) => Result(NativeMethods.cvt_unsqueeze(Handle, dimension, out var r), r);

    /// <summary>A view that repeats size-1 dimensions to <paramref name="shape"/> without copying (-1 keeps a size).</summary>
    /// <param name="shape">The target shape.</param>
    public Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Result(NativeMethods.cvt_expand(Handle, s, shape.Length, out var r), r);
        }
    }

    /// <summary>A view with explicit sizes, strides and storage offset.</summary>
    /// <param name="shape">Sizes.</param>
    /// <param name="strides">Strides in elements, one per size.</param>
    /// <param name="storageOffset">Offset of the first element in the storage.</param>
    public Tensor AsStrided(ReadOnlySpan<long> shape, ReadOnlySpan<long> strides, long storageOffset = 0)
    {
        if (shape.Length != strides.Length)
        {
            throw new ArgumentException($"{shape.Length} sizes but {strides.Length} strides were given.", nameof(strides));
        }

        fixed (long* s = shape)
        fixed (long* st = strides)
        {
            return Result(NativeMethods.cvt_as_strided(Handle, s, st, shape.Length, storageOffset, out var r), r);
        }
    }

    /// <summary>Joins tensors along an existing dimension.</summary>
    /// <param name="tensors">Tensors with equal sizes except in <paramref name="dimension"/>.</param>
    /// <param name="dimension">The dimension to join along.</param>
    public static Tensor Concatenate(IReadOnlyList<Tensor> tensors, long dimension = 0) => Join(tensors, dimension, &NativeMethods.cvt_cat);

    /// <summary>Joins tensors of equal shape along a new dimension.</summary>
    /// <param name="tensors">Tensors of the same shape.</param>
    /// <param name="dimension">Where the new dimension goes.</param>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dimension = 0) => Join(tensors, dimension, &NativeMethods.cvt_stack);

    /// <summary>A copy with the order of elements reversed along <paramref name="dimensions"/>.</summary>
    /// <param name="dimensions">Dimensions to reverse.</param>
    public Tensor Flip(params ReadOnlySpan<long> dimensions)
    {
        fixed (long* d = dimensions)
        {
            return Result(NativeMethods.cvt_flip(Handle, d, dimensions.Length, out var r), r);
        }
    }

    /// <summary>Pads the last dimensions, as <c>torch.nn.functional.pad</c>.</summary>
    /// <param name="padding">(before, after) pairs starting from the last dimension: (left, right, top, bottom, front, back).</param>
    /// <param name="mode">How to fill the border.</param>
    /// <param name="value">Fill value for <see cref="PaddingMode.Constant"/>.</param>
    public Tensor Pad(ReadOnlySpan<long> padding, PaddingMode mode = PaddingMode.Constant, double value = 0)
    {
        if (padding.Length % 2 != 0)
        {
            throw new ArgumentException("Padding needs (before, after) pairs: an even number of values.", nameof(padding));
        }

        fixed (long* p = padding)
        {
            return Result(NativeMethods.cvt_pad(Handle, p, padding.Length, (int)mode, value, out var r), r);
        }
    }

    /// <summary>This tensor in C order: itself (a new reference) when already contiguous, else a copy.</summary>
    public Tensor Contiguous() => Result(NativeMethods.cvt_contiguous(Handle, out var r), r);

    /// <summary>
    /// A copy of this float32 CPU tensor in oneDNN's blocked layout (PyTorch's <c>to_mkldnn</c>). A chain of
    /// convolutions, in-place ReLUs and max pools on such tensors skips the reorders that every convolution of a dense
    /// tensor pays on the way in and out of oneDNN, with the same results. Inference only: autograd does not follow it.
    /// </summary>
    public Tensor ToMkldnn() => Result(NativeMethods.cvt_to_mkldnn(Handle, out var r), r);

    /// <summary>A dense C-order copy of a tensor in oneDNN's blocked layout (<see cref="ToMkldnn"/>).</summary>
    public Tensor ToDense() => Result(NativeMethods.cvt_to_dense(Handle, out var r), r);

    /// <summary>A copy that autograd connects to this tensor.</summary>
    public Tensor Clone() => Result(NativeMethods.cvt_clone(Handle, out var r), r);

    /// <summary>A view that shares memory but is cut from the autograd graph.</summary>
    public Tensor Detach() => Result(NativeMethods.cvt_detach(Handle, out var r), r);

    /// <summary>A second reference to the same tensor, with its own lifetime.</summary>
    public Tensor Alias() => Result(NativeMethods.cvt_alias(Handle, out var r), r);

    /// <summary>Converts to another element type on the same device (no copy when already of that type).</summary>
    /// <param name="type">The element type.</param>
    public Tensor To(ScalarType type) => To(Device, type);

    /// <summary>Moves to another device, keeping the element type.</summary>
    /// <param name="device">The device.</param>
    public Tensor To(Device device) => To(device, ScalarType);

    /// <summary>Moves to another device and element type (no copy when both already match, unless <paramref name="copy"/>).</summary>
    /// <param name="device">The device.</param>
    /// <param name="type">The element type.</param>
    /// <param name="copy">Always copy.</param>
    /// <exception cref="CudaUnavailableException">A CUDA device was requested without CUDA.</exception>
    public Tensor To(Device device, ScalarType type, bool copy = false)
    {
        device.EnsureAvailable();
        return Result(NativeMethods.cvt_to(Handle, (int)device.Type, device.Index, (int)type, copy ? 1 : 0, out var r), r);
    }

    /// <summary>Makes this tensor refer to the data of <paramref name="source"/> (as PyTorch's <c>param.data = source</c>), keeping its identity.</summary>
    /// <param name="source">The new data.</param>
    public void SetData(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        NativeStatus.Check(NativeMethods.cvt_set_data(Handle, source.Handle));
    }

    private static Tensor Join(IReadOnlyList<Tensor> tensors, long dimension, delegate*<nint*, int, long, out nint, int> join)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("At least one tensor is needed.", nameof(tensors));
        }

        var handles = new nint[tensors.Count];
        var added = new bool[tensors.Count];
        try
        {
            for (var i = 0; i < handles.Length; i++)
            {
                var h = tensors[i].Handle;
                h.DangerousAddRef(ref added[i]);
                handles[i] = h.DangerousGetHandle();
            }

            fixed (nint* p = handles)
            {
                return Result(join(p, handles.Length, dimension, out var r), r);
            }
        }
        finally
        {
            for (var i = 0; i < handles.Length; i++)
            {
                if (added[i])
                {
                    tensors[i].Handle.DangerousRelease();
                }
            }
        }
    }
}
