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
public static class Clahe
{
    /// <summary>Equalises a uint16 volume; the result lies in [0, 1] (float64, as scikit-image returns for integer input).</summary>
    /// <param name="volume">The volume (a 2-D image is a volume of depth 1).</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<double> Equalize(Volume<ushort> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return ToVolume(Equalize(volume.Span, Shape(volume), options, cancellationToken), volume);
    }

    /// <summary>Equalises a uint8 volume; the result lies in [0, 1] (float64).</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<double> Equalize(Volume<byte> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return ToVolume(Equalize(volume.Span, Shape(volume), options, cancellationToken), volume);
    }

    /// <summary>Equalises a float32 volume with values in [−1, 1] (negatives count as 0); the result lies in [0, 1] (float32).</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    public static Volume<float> Equalize(Volume<float> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return ToVolume(Equalize(volume.Span, Shape(volume), options, cancellationToken), volume);
    }

    /// <summary>Equalises uint16 samples of the given shape ((H, W) or (D, H, W)), C order.</summary>
    /// <param name="image">The samples.</param>
    /// <param name="shape">(H, W) or (D, H, W).</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    /// <exception cref="ClaheException">The image is empty, the shape does not fit, or the options are invalid.</exception>
    public static double[] Equalize(ReadOnlySpan<ushort> image, ReadOnlySpan<int> shape, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var volumeShape = Validate(image.Length, shape);
        return RescaleToUnit(Run(image.ToArray(), volumeShape, shape, options, cancellationToken));
    }

    /// <summary>Equalises uint8 samples (scaled by 257 to 16 bits first, as scikit-image does).</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, ClaheOptions?, CancellationToken)"/>
    public static double[] Equalize(ReadOnlySpan<byte> image, ReadOnlySpan<int> shape, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var volumeShape = Validate(image.Length, shape);
        var wide = new ushort[image.Length];
        for (var i = 0; i < wide.Length; i++)
        {
            wide[i] = (ushort)(image[i] * 257);
        }

        return RescaleToUnit(Run(wide, volumeShape, shape, options, cancellationToken));
    }

    /// <summary>Equalises float32 samples in [−1, 1]: scaled as scikit-image's <c>img_as_uint</c> (×65535 in float32, rounded half to even, negatives to 0).</summary>
    /// <inheritdoc cref="Equalize(ReadOnlySpan{ushort}, ReadOnlySpan{int}, ClaheOptions?, CancellationToken)"/>
    /// <exception cref="ClaheException">A value is NaN or outside [−1, 1].</exception>
    public static float[] Equalize(ReadOnlySpan<float> image, ReadOnlySpan<int> shape, ClaheOptions? options = null, CancellationToken cancellationToken = default)
    {
        var volumeShape = Validate(image.Length, shape);
        var wide = new ushort[image.Length];
        for (var i = 0; i < wide.Length; i++)
        {
            var value = image[i];
            if (float.IsNaN(value) || value < -1f || value > 1f)
            {
                throw new ClaheException($"Float images must hold values in [-1, 1] without NaN; sample {i} is {value}.");
            }

            var scaled = MathF.Round(value * 65535f, MidpointRounding.ToEven);
            wide[i] = (ushort)Math.Clamp(scaled, 0f, 65535f);
        }

        var result = Run(wide, volumeShape, shape, options, cancellationToken);
        return RescaleToUnitSingle(result);
    }

    /// <summary>The 14-bit CLAHE result (0…16383) before the final stretch to [0, 1].</summary>
    private static ushort[] Run(ushort[] image, int[] volumeShape, ReadOnlySpan<int> shape, ClaheOptions? options, CancellationToken cancellationToken)
    {
        options ??= new ClaheOptions();
        var kernel = Kernel(options, shape);
        if (options.ClipLimit is < 0 or > 1 || double.IsNaN(options.ClipLimit))
        {
            throw new ClaheException($"The clip limit must lie in [0, 1]; got {options.ClipLimit}.");
        }

        if (options.LuminanceLevels is < 2 or > ClaheKernel.GrayLevels)
        {
            throw new ClaheException($"The number of bins must lie in [2, {ClaheKernel.GrayLevels}]; got {options.LuminanceLevels}.");
        }

        var gray = StretchTo14Bits(image);
        var result = new ushort[image.Length];
        int[] volumeKernel = kernel.Length == 2 ? [1, kernel[0], kernel[1]] : kernel;
        ClaheKernel.Run(gray, volumeShape, volumeKernel, options.ClipLimit, options.LuminanceLevels, result, cancellationToken);
        return result;
    }

    /// <summary>scikit-image's <c>rescale_intensity(image, out_range=(0, 16383))</c> followed by <c>np.round</c>.</summary>
    private static ushort[] StretchTo14Bits(ushort[] image)
    {
        ushort min = ushort.MaxValue, max = 0;
        foreach (var v in image)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var gray = new ushort[image.Length];
        if (min == max)
        {
            for (var i = 0; i < gray.Length; i++)
            {
                gray[i] = (ushort)Math.Min((int)image[i], ClaheKernel.GrayLevels - 1);
            }

            return gray;
        }

        double low = min, range = max - (double)min;
        for (var i = 0; i < gray.Length; i++)
        {
            var scaled = ((image[i] - low) / range * (ClaheKernel.GrayLevels - 1)) + 0.0;
            gray[i] = (ushort)Math.Round(scaled, MidpointRounding.ToEven);
        }

        return gray;
    }

    /// <summary>scikit-image's final <c>rescale_intensity</c> in float64.</summary>
    private static double[] RescaleToUnit(ushort[] result)
    {
        var (min, max) = MinMax(result);
        var output = new double[result.Length];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = min != max ? ((result[i] - (double)min) / (max - (double)min) * 1.0) + 0.0 : Math.Clamp((double)result[i], 0, 1);
        }

        return output;
    }

    /// <summary>scikit-image's final <c>rescale_intensity</c> in float32 (NumPy computes a float32 image with the scalars cast to float32).</summary>
    private static float[] RescaleToUnitSingle(ushort[] result)
    {
        var (min, max) = MinMax(result);
        var low = (float)min;
        var range = (float)(max - (double)min);
        var output = new float[result.Length];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = min != max ? (((result[i] - low) / range) * 1f) + 0f : Math.Clamp((float)result[i], 0f, 1f);
        }

        return output;
    }

    private static (ushort Min, ushort Max) MinMax(ushort[] values)
    {
        ushort min = ushort.MaxValue, max = 0;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }

    private static int[] Kernel(ClaheOptions options, ReadOnlySpan<int> shape)
    {
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

        return kernel;
    }

    private static int[] Validate(int length, ReadOnlySpan<int> shape)
    {
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

        return shape.Length == 2 ? [1, shape[0], shape[1]] : shape.ToArray();
    }

    private static int[] Shape<T>(Volume<T> volume)
        where T : unmanaged => volume.Depth == 1 ? [volume.Height, volume.Width] : [volume.Depth, volume.Height, volume.Width];

    private static Volume<TOut> ToVolume<TOut, TIn>(TOut[] values, Volume<TIn> like)
        where TOut : unmanaged
        where TIn : unmanaged
    {
        var volume = new Volume<TOut>(like.Depth, like.Height, like.Width, like.VoxelSize, like.Origin);
        values.CopyTo(volume.Span);
        return volume;
    }
}
