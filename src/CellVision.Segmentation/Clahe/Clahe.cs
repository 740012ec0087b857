using System.Numerics.Tensors;
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
    /// (<c>rint(x · 65535)</c> in float64), without the float64 volume in between (peak memory ≈ 2.5× the input).
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<ushort> EqualizeToUInt16(Volume<ushort> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var shape = Shape(volume);
        var plan = Plan.Create(volume.Length, shape, volume.Length, options);
        var table = ClaheKernel.BinTable(TensorPrimitives.Min<ushort>(volume.Span), TensorPrimitives.Max<ushort>(volume.Span), plan.Bins);
        // The 14-bit result is written into the output volume's own buffer and mapped in place: no extra volume-sized array.
        var output = new Volume<ushort>(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin, clear: false);
        try
        {
            var result = plan.Run<ushort>(volume.Span, table, cancellationToken, output.PooledArray);
            var unit = UnitTable(result, volume.Length);
            var wide = new ushort[unit.Length];
            for (var v = 0; v < unit.Length; v++)
            {
                wide[v] = (ushort)Math.Clamp(Math.Round(unit[v] * 65535.0), 0, 65535);
            }

            Map(result, wide, output.Span);
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
        var wideTable = ClaheKernel.BinTable((ushort)(TensorPrimitives.Min<byte>(volume.Span) * 257), (ushort)(TensorPrimitives.Max<byte>(volume.Span) * 257), plan.Bins);
        var table = new ushort[256];
        for (var v = 0; v < table.Length; v++)
        {
            table[v] = wideTable[v * 257];
        }

        var result = plan.Run<byte>(volume.Span, table, cancellationToken);
        var unit = UnitTable(result, result.Length);
        var narrow = new byte[unit.Length];
        for (var v = 0; v < unit.Length; v++)
        {
            narrow[v] = (byte)Math.Clamp(Math.Round(unit[v] * 255.0), 0, 255);
        }

        var output = new Volume<byte>(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin, clear: false);
        Map(result, narrow, output.Span);
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
        var table = ClaheKernel.BinTable(TensorPrimitives.Min(image), TensorPrimitives.Max(image), plan.Bins);
        var result = plan.Run(image, table, cancellationToken);
        RescaleToUnit(result, destination);
    }

    /// <summary>Equalises uint8 samples into <paramref name="destination"/> (values in [0, 1]).</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, Span{double}, ClaheOptions?, CancellationToken)"/>
    public static void Equalize(ReadOnlySpan<byte> image, ReadOnlySpan<int> shape, Span<double> destination, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan.Create(image.Length, shape, destination.Length, options);
        var wideTable = ClaheKernel.BinTable((ushort)(TensorPrimitives.Min(image) * 257), (ushort)(TensorPrimitives.Max(image) * 257), plan.Bins);
        var table = new ushort[256];
        for (var v = 0; v < table.Length; v++)
        {
            table[v] = wideTable[v * 257];
        }

        var result = plan.Run(image, table, cancellationToken);
        RescaleToUnit(result, destination);
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

        var table = ClaheKernel.BinTable(TensorPrimitives.Min<ushort>(wide), TensorPrimitives.Max<ushort>(wide), plan.Bins);
        var result = plan.Run<ushort>(wide, table, cancellationToken);
        RescaleToUnitSingle(result, destination);
    }

    /// <summary>scikit-image's final <c>rescale_intensity</c> in float64, through a table over the 14-bit results.</summary>
    private static void RescaleToUnit(ushort[] result, Span<double> destination) => Map(result, UnitTable(result, destination.Length), destination);

    /// <summary>For every 14-bit result value, its float64 <c>rescale_intensity</c> to [0, 1].</summary>
    private static double[] UnitTable(ushort[] result, int length)
    {
        var values = result.AsSpan(0, length);
        return UnitTable(TensorPrimitives.Min<ushort>(values), TensorPrimitives.Max<ushort>(values));
    }

    /// <summary>For every 14-bit result value up to <paramref name="max"/>, its float64 <c>rescale_intensity</c> to [0, 1] given the results' range.</summary>
    private static double[] UnitTable(ushort min, ushort max)
    {
        var table = new double[max + 1];
        for (var v = min; v <= max; v++)
        {
            table[v] = min != max ? ((v - (double)min) / (max - (double)min) * 1.0) + 0.0 : Math.Clamp((double)v, 0, 1);
        }

        return table;
    }

    /// <summary>scikit-image's final <c>rescale_intensity</c> in float32 (NumPy casts the scalars to float32).</summary>
    private static void RescaleToUnitSingle(ushort[] result, Span<float> destination)
    {
        var values = result.AsSpan(0, destination.Length);
        var (min, max) = (TensorPrimitives.Min<ushort>(values), TensorPrimitives.Max<ushort>(values));
        var low = (float)min;
        var range = (float)(max - (double)min);
        var table = new float[max + 1];
        for (var v = min; v <= max; v++)
        {
            table[v] = min != max ? (((v - low) / range) * 1f) + 0f : Math.Clamp((float)v, 0f, 1f);
        }

        Map(result, table, destination);
    }

    /// <summary>destination[i] = table[result[i]], in parallel blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Map<T>(ushort[] result, T[] table, Span<T> destination)
        where T : unmanaged
    {
        const int Block = 1 << 16;
        fixed (T* target = destination)
        {
            var output = (nint)target;
            var length = destination.Length;
            Parallel.For(0, (length + Block - 1) / Block, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (block) =>
            {
                var pointer = (T*)output;
                var end = Math.Min(length, (block + 1) * Block);
                for (var i = block * Block; i < end; i++)
                {
                    pointer[i] = table[result[i]];
                }
            });
        }
    }

    private static int[] Shape<T>(Volume<T> volume)
        where T : unmanaged => volume.Depth == 1 ? [volume.Height, volume.Width] : [volume.Depth, volume.Height, volume.Width];

    private static Volume<TOut> Like<TOut, TIn>(Volume<TIn> like)
        where TOut : unmanaged
        where TIn : unmanaged => new(like.Depth, like.Height, like.Width, like.VoxelSize, like.Origin, clear: false);

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

        /// <summary>Bins every sample through <paramref name="table"/> (indexed by the sample value) and runs the kernel; returns the 14-bit result.</summary>
        internal unsafe ushort[] Run<TIn>(ReadOnlySpan<TIn> image, ushort[] table, CancellationToken cancellationToken, ushort[]? into = null)
            where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
        {
            var output = into ?? new ushort[image.Length];
            fixed (TIn* source = image)
            {
                var input = (nint)source;
                var length = image.Length;
                if (Bins <= 256)
                {
                    var bins = GC.AllocateUninitializedArray<byte>(length);
                    Bin(input, length, table, bins, cancellationToken);
                    ClaheKernel.Run(bins, VolumeShape, Kernel, ClipLimit, Bins, output, cancellationToken);
                }
                else
                {
                    var bins = GC.AllocateUninitializedArray<ushort>(length);
                    Bin(input, length, table, bins, cancellationToken);
                    ClaheKernel.Run(bins, VolumeShape, Kernel, ClipLimit, Bins, output, cancellationToken);
                }
            }

            return output;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            static void Bin<TBin>(nint input, int length, ushort[] table, TBin[] bins, CancellationToken cancellationToken)
                where TBin : unmanaged, System.Numerics.IBinaryInteger<TBin>
            {
                const int Block = 1 << 16;
                Parallel.For(0, (length + Block - 1) / Block, new ParallelOptions { CancellationToken = cancellationToken }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (block) =>
                {
                    var source = (TIn*)input;
                    var end = Math.Min(length, (block + 1) * Block);
                    for (var i = block * Block; i < end; i++)
                    {
                        bins[i] = TBin.CreateTruncating(table[int.CreateTruncating(source[i])]);
                    }
                });
            }
        }
    }
}
