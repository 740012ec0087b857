using System.Runtime.CompilerServices;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// Contrast-limited adaptive histogram equalisation of 2-D images and 3-D volumes, bit-exact with scikit-image 0.19.3's
/// <c>equalize_adapthist</c>: integer input is stretched to 14 bits by its own min–max, equalised tile by tile, and the
/// result stretched to [0, 1]. Unlike scikit-image, a volume whose last dimension is 3 or 4 is never taken for RGB.
/// </summary>
/// <example>
/// <code>
/// using var equalised = Clahe.Equalize(volume, new ClaheOptions { ClipLimit = 0.02 });   // Volume&lt;double&gt; in [0, 1]
/// </code>
/// </example>
public static unsafe partial class Clahe
{
    /// <summary>Equalises a uint16 volume; the result lies in [0, 1] (float64, as scikit-image returns for integer input).</summary>
    /// <param name="volume">The volume (a volume of depth 1 is treated as a 2-D image).</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<double> Equalize(Volume<ushort> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var result = Like<double, ushort>(volume);
        Equalize(volume.Span, Shape(volume), result.Span, options, cancellationToken);
        return result;
    }

    /// <summary>Equalises a uint8 volume; the result lies in [0, 1] (float64).</summary>
    /// <inheritdoc cref="Equalize(Volume{ushort}, ClaheOptions?, CancellationToken)"/>
    public static Volume<double> Equalize(Volume<byte> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var result = Like<double, byte>(volume);
        Equalize(volume.Span, Shape(volume), result.Span, options, cancellationToken);
        return result;
    }

    /// <summary>Equalises a float32 volume with values in [−1, 1] (negatives count as 0); the result lies in [0, 1] (float32).</summary>
    /// <inheritdoc cref="Equalize(Volume{ushort}, ClaheOptions?, CancellationToken)"/>
    public static Volume<float> Equalize(Volume<float> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var result = Like<float, float>(volume);
        Equalize(volume.Span, Shape(volume), result.Span, options, cancellationToken);
        return result;
    }

    /// <summary>
    /// Equalises a uint16 volume and returns uint16 voxels: scikit-image's <c>img_as_uint</c> of the [0, 1] result
    /// (<c>rint(x · 65535)</c> in float64), without the float64 volume in between: the output is the only volume-sized memory it allocates.
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<ushort> EqualizeToUInt16(Volume<ushort> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var shape = Shape(volume);
        var plan = Plan.Create(volume.Length, shape, volume.Length, options);
        var (min, max) = SampleRange.Of<ushort>(volume.Span);
        var table = ClaheKernel.BinTable(min, max, plan.Bins);
        // The 14-bit result is written into the output volume's own buffer and mapped in place: no extra volume-sized array.
        var output = Volume<ushort>.CreateUninitialized(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin);
        try
        {
            HugePages.Advise(output.Span);
            fixed (ushort* result = output.Span)
            {
                plan.Run<ushort>(volume.Span, table, (nint)result, cancellationToken);
                MapRange(result, result, 0, volume.Length, ToUInt16(UnitTable(output.Span)));
            }

            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Equalises a uint8 volume and returns uint8 voxels: scikit-image's <c>img_as_ubyte</c> of the [0, 1] result.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<byte> EqualizeToByte(Volume<byte> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var shape = Shape(volume);
        var plan = Plan.Create(volume.Length, shape, volume.Length, options);
        var (min, max) = SampleRange.Of<byte>(volume.Span);
        var table = ByteBinTable(min, max, plan.Bins);

        var result = GC.AllocateUninitializedArray<ushort>(volume.Length);
        var output = Volume<byte>.CreateUninitialized(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin);
        HugePages.Advise<ushort>(result);
        HugePages.Advise(output.Span);
        fixed (ushort* source = result)
        fixed (byte* target = output.Span)
        {
            plan.Run<byte>(volume.Span, table, (nint)source, cancellationToken);
            MapRange(source, target, 0, volume.Length, ToByte(UnitTable(result)));
        }

        return output;
    }

    /// <summary>Equalises uint16 samples of shape (H, W) or (D, H, W), C order, into a new float64 array.</summary>
    /// <param name="image">The samples.</param>
    /// <param name="shape">(H, W) or (D, H, W).</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    /// <exception cref="ClaheException">The image is empty, the shape does not fit, or the options are invalid.</exception>
    public static double[] Equalize(ReadOnlySpan<ushort> image, ReadOnlySpan<int> shape, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new double[image.Length];
        Equalize(image, shape, result, options, cancellationToken);
        return result;
    }

    /// <summary>Equalises uint8 samples (scaled by 257 to 16 bits first, as scikit-image does) into a new float64 array.</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, ClaheOptions?, CancellationToken)"/>
    public static double[] Equalize(ReadOnlySpan<byte> image, ReadOnlySpan<int> shape, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new double[image.Length];
        Equalize(image, shape, result, options, cancellationToken);
        return result;
    }

    /// <summary>Equalises float32 samples in [−1, 1] into a new float32 array (scaled as scikit-image's <c>img_as_uint</c>: ×65535 in float32, rounded half to even, negatives to 0).</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, ClaheOptions?, CancellationToken)"/>
    /// <exception cref="ClaheException">A value is NaN or outside [−1, 1].</exception>
    public static float[] Equalize(ReadOnlySpan<float> image, ReadOnlySpan<int> shape, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new float[image.Length];
        Equalize(image, shape, result, options, cancellationToken);
        return result;
    }

    /// <summary>Equalises uint16 samples into <paramref name="destination"/> (values in [0, 1]).</summary>
    /// <param name="image">The samples, C order.</param>
    /// <param name="shape">(H, W) or (D, H, W).</param>
    /// <param name="destination">As many elements as <paramref name="image"/>.</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static void Equalize(ReadOnlySpan<ushort> image, ReadOnlySpan<int> shape, Span<double> destination, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan.Create(image.Length, shape, destination.Length, options);
        var (min, max) = SampleRange.Of(image);
        var table = ClaheKernel.BinTable(min, max, plan.Bins);
        RunIntoUnit(plan, image, table, destination, cancellationToken);
    }

    /// <summary>Equalises uint8 samples into <paramref name="destination"/> (values in [0, 1]).</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, Span{double}, ClaheOptions?, CancellationToken)"/>
    public static void Equalize(ReadOnlySpan<byte> image, ReadOnlySpan<int> shape, Span<double> destination, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan.Create(image.Length, shape, destination.Length, options);
        var (min, max) = SampleRange.Of(image);
        var table = ByteBinTable(min, max, plan.Bins);

        RunIntoUnit(plan, image, table, destination, cancellationToken);
    }

    /// <summary>Equalises float32 samples in [−1, 1] into <paramref name="destination"/> (values in [0, 1]).</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, Span{double}, ClaheOptions?, CancellationToken)"/>
    /// <exception cref="ClaheException">A value is NaN or outside [−1, 1].</exception>
    public static void Equalize(ReadOnlySpan<float> image, ReadOnlySpan<int> shape, Span<float> destination, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan.Create(image.Length, shape, destination.Length, options);
        var wide = new ushort[image.Length];
        for (var i = 0; i < wide.Length; i++)
        {
            var value = image[i];
            if (float.IsNaN(value) || value < -1f || value > 1f)
            {
                throw new ClaheException($"Float images must hold values in [-1, 1] without NaN; sample {i} is {value}.");
            }

            wide[i] = (ushort)Math.Clamp(MathF.Round(value * 65535f, MidpointRounding.ToEven), 0f, 65535f);
        }

        var (first, last) = SampleRange.Of<ushort>(wide);
        var table = ClaheKernel.BinTable(first, last, plan.Bins);
        HugePages.Advise(destination);
        fixed (float* target = destination)
        {
            // The 14-bit results fill the first half of the destination's bytes and are widened in place
            // (scikit-image's final rescale_intensity in float32: NumPy casts the scalars to float32).
            var result = new Span<ushort>(target, destination.Length);
            plan.Run<ushort>(wide, table, (nint)target, cancellationToken);
            var (min, max) = SampleRange.Of<ushort>(result);
            ExpandInPlace(target, destination.Length, UnitTableSingle(min, max));
        }
    }

    /// <summary>
    /// Runs the kernel with its 14-bit results in the first quarter of <paramref name="destination"/>'s bytes, then
    /// widens them in place to scikit-image's final float64 <c>rescale_intensity</c>: the destination is the only
    /// volume-sized memory a call touches besides the input.
    /// </summary>
    private static void RunIntoUnit<TIn>(Plan plan, ReadOnlySpan<TIn> image, ushort[] table, Span<double> destination, CancellationToken cancellationToken)
        where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
    {
        HugePages.Advise(destination);
        fixed (double* target = destination)
        {
            plan.Run(image, table, (nint)target, cancellationToken);
            ExpandInPlace(target, destination.Length, UnitTable(new ReadOnlySpan<ushort>(target, destination.Length)));
        }
    }

    /// <summary>For every 14-bit result value up to <paramref name="max"/>, its float32 <c>rescale_intensity</c> to [0, 1] (NumPy casts the scalars to float32).</summary>
    private static float[] UnitTableSingle(ushort min, ushort max)
    {
        var low = (float)min;
        var range = (float)(max - (double)min);
        var table = new float[max + 1];
        for (var v = min; v <= max; v++)
        {
            table[v] = min != max ? (((v - low) / range) * 1f) + 0f : Math.Clamp((float)v, 0f, 1f);
        }

        return table;
    }

    /// <summary>scikit-image's <c>img_as_uint</c> of each [0, 1] value: <c>rint(x · 65535)</c> in float64.</summary>
    private static ushort[] ToUInt16(double[] unit) => [.. unit.Select(u => (ushort)Math.Clamp(Math.Round(u * 65535.0), 0, 65535))];

    /// <summary>scikit-image's <c>img_as_ubyte</c> of each [0, 1] value: <c>rint(x · 255)</c> in float64.</summary>
    private static byte[] ToByte(double[] unit) => [.. unit.Select(u => (byte)Math.Clamp(Math.Round(u * 255.0), 0, 255))];

    /// <summary>For every 14-bit result value, its float64 <c>rescale_intensity</c> to [0, 1].</summary>
    private static double[] UnitTable(ReadOnlySpan<ushort> results)
    {
        var (min, max) = SampleRange.Of(results);
        return UnitTable(min, max);
    }

    /// <summary>For every 14-bit result value up to <paramref name="max"/>, its float64 <c>rescale_intensity</c> to [0, 1] given the results' range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] UnitTable(ushort min, ushort max)
    {
        var table = new double[max + 1];
        for (var v = min; v <= max; v++)
        {
            table[v] = min != max ? ((v - (double)min) / (max - (double)min) * 1.0) + 0.0 : Math.Clamp((double)v, 0, 1);
        }

        return table;
    }

    /// <summary>destination[i] = table[source[i]] for i in [<paramref name="start"/>, <paramref name="end"/>), in parallel blocks (in place when both point to the same ushorts).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapRange<T>(ushort* source, T* destination, int start, int end, T[] table)
        where T : unmanaged
    {
        const int Block = 1 << 16;
        var input = (nint)source;
        var output = (nint)destination;
        Parallel.For(0, (end - start + Block - 1) / Block, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (block) =>
        {
            var from = (ushort*)input;
            var to = (T*)output;
            var last = Math.Min(end, start + ((block + 1) * Block));
            for (var i = start + (block * Block); i < last; i++)
            {
                to[i] = table[from[i]];
            }
        });
    }

    /// <summary>
    /// Widens the <paramref name="length"/> 14-bit results stored as ushorts at the start of <paramref name="destination"/>
    /// through <paramref name="table"/> into <paramref name="destination"/> itself (elements wider than 2 bytes). Each
    /// parallel round maps the elements that lie wholly beyond the results still unread; the last few go one by one from
    /// the end, where every write covers only results already read.
    /// </summary>
    internal static void ExpandInPlace<T>(T* destination, int length, T[] table)
        where T : unmanaged
    {
        var source = (ushort*)destination;
        var end = length;
        while (end > 1 << 16)
        {
            var start = (int)(((2L * end) + sizeof(T) - 1) / sizeof(T));
            MapRange(source, destination, start, end, table);
            end = start;
        }

        for (var i = end - 1; i >= 0; i--)
        {
            destination[i] = table[source[i]];
        }
    }

    private static int[] Shape<T>(Volume<T> volume)
        where T : unmanaged => volume.Depth == 1 ? [volume.Height, volume.Width] : [volume.Depth, volume.Height, volume.Width];

    private static Volume<TOut> Like<TOut, TIn>(Volume<TIn> like)
        where TOut : unmanaged
        where TIn : unmanaged => Volume<TOut>.CreateUninitialized(like.Depth, like.Height, like.Width, like.VoxelSize, like.Origin);

    /// <summary>Validated shape, kernel and options of one call.</summary>
    internal sealed record Plan(int[] VolumeShape, int[] Kernel, double ClipLimit, int Bins)
    {
        internal static Plan Create(long length, ReadOnlySpan<int> shape, long destinationLength, ClaheOptions? options)
        {
            options ??= new ClaheOptions();
            if (shape.Length is not (2 or 3))
            {
                throw new ClaheException($"CLAHE takes 2-D (H, W) or 3-D (D, H, W) data; got {shape.Length} dimensions.");
            }

            long count = 1;
            foreach (var s in shape)
            {
                if (s < 1)
                {
                    throw new ClaheException($"The image is empty (shape [{string.Join(", ", shape.ToArray())}]).");
                }

                count *= s;
            }

            if (count != length)
            {
                throw new ClaheException($"Shape [{string.Join(", ", shape.ToArray())}] holds {count} samples but {length} were given.");
            }

            if (destinationLength != length)
            {
                throw new ClaheException($"The destination holds {destinationLength} elements but the image has {length}.");
            }

            if (options.ClipLimit is < 0 or > 1 || double.IsNaN(options.ClipLimit))
            {
                throw new ClaheException($"The clip limit must lie in [0, 1]; got {options.ClipLimit}.");
            }

            if (options.LuminanceLevels is < 2 or > ClaheKernel.GrayLevels)
            {
                throw new ClaheException($"The number of bins must lie in [2, {ClaheKernel.GrayLevels}]; got {options.LuminanceLevels}.");
            }

            var kernel = options.KernelSize switch
            {
                null => shape.ToArray().Select(s => Math.Max(s / 8, 1)).ToArray(),
                { Length: 1 } k => Enumerable.Repeat(k[0], shape.Length).ToArray(),
                var k when k.Length == shape.Length => k,
                var k => throw new ClaheException($"The kernel has {k.Length} sizes but the image has {shape.Length} dimensions."),
            };
            if (kernel.Any(k => k < 1))
            {
                throw new ClaheException($"Kernel sizes must be at least 1; got [{string.Join(", ", kernel)}].");
            }

            for (var d = 0; d < kernel.Length; d++)
            {
                // scikit-image would fill such a tile by mirroring the image several times over; that is almost always a
                // mistake (a kernel given in the wrong unit or order), so it is refused.
                if (kernel[d] > shape[d])
                {
                    throw new ClaheException($"The kernel [{string.Join(", ", kernel)}] is larger than the image [{string.Join(", ", shape.ToArray())}] along dimension {d}.");
                }
            }

            int[] volumeShape = shape.Length == 2 ? [1, shape[0], shape[1]] : shape.ToArray();
            int[] volumeKernel = kernel.Length == 2 ? [1, kernel[0], kernel[1]] : kernel;
            return new Plan(volumeShape, volumeKernel, options.ClipLimit, options.LuminanceLevels);
        }

        /// <summary>Runs the kernel on the samples, binned through <paramref name="table"/> (indexed by the sample value) as it reads them, into <paramref name="output"/> (a pointer to as many ushorts as samples; 14-bit results).</summary>
        internal unsafe void Run<TIn>(ReadOnlySpan<TIn> image, ushort[] table, nint output, CancellationToken cancellationToken)
            where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
        {
            fixed (TIn* source = image)
            {
                ClaheKernel.Run(new BinnedSamples<TIn>(source, table), VolumeShape, Kernel, ClipLimit, Bins, output, cancellationToken);
            }
        }
    }
}
