using CellVision.Torch;

namespace CellVision.Networks;

/// <summary>
/// The sizes a <see cref="ValidUNet"/> produces, one axis at a time, with funlib's rules: each convolution removes
/// kernel − 1 voxels; a max pool needs a size divisible by its factor; after each upsampling the map is centre-cropped
/// to <c>⌊(s − c) / f⌋ · f + c</c>, where c is what the level's up convolutions remove and f the product of the
/// factors at and below that level (the crop that keeps tile-and-stitch predictions translation-equivariant).
/// </summary>
internal static class ValidUNetGeometry
{
    private static readonly string[] AxisNames = ["Z", "Y", "X"];

    /// <summary>The output size along one axis, or null with the reason in <paramref name="error"/>.</summary>
    /// <param name="options">The network.</param>
    /// <param name="axis">0 = Z, 1 = Y, 2 = X.</param>
    /// <param name="input">The input size along that axis.</param>
    /// <param name="trailingCrop">What layers after the U-Net remove along that axis.</param>
    /// <param name="error">Why the size does not work.</param>
    internal static long? Output(ValidUNetOptions options, int axis, long input, long trailingCrop, out string? error)
    {
        var levels = options.Levels;
        var skips = new long[levels];
        var size = input;
        error = null;
        for (var level = 0; level < levels; level++)
        {
            var crop = Crop(options.DownKernels(level), axis);
            if (size - crop < 1)
            {
                error = $"level {level} of the down path gets {size} voxels but its convolutions need at least {crop + 1}";
                return null;
            }

            size -= crop;
            if (level < levels - 1)
            {
                var factor = Along(options.DownsampleFactors[level], axis);
                if (size % factor != 0)
                {
                    error = $"level {level} gives {size} voxels to its max pool, which is not divisible by the factor {factor}";
                    return null;
                }

                skips[level] = size;
                size /= factor;
            }
        }

        for (var level = levels - 2; level >= 0; level--)
        {
            size *= Along(options.DownsampleFactors[level], axis);
            var crop = Crop(options.UpKernels(level), axis);
            var factor = CropFactor(options, level, axis);
            var target = (FloorDivide(size - crop, factor) * factor) + crop;
            if (target != size)
            {
                if (target <= crop)
                {
                    error = $"level {level} of the up path gets {size} voxels, too few to crop to a multiple of {factor} plus the {crop} its convolutions remove";
                    return null;
                }

                size = target;
            }

            if (size > skips[level] || size - crop < 1)
            {
                error = $"level {level} of the up path gets {size} voxels, which its skip connection ({skips[level]}) or convolutions (need {crop + 1}) cannot serve";
                return null;
            }

            size -= crop;
        }

        if (size - trailingCrop < 1)
        {
            error = $"the U-Net gives {size} voxels, fewer than the {trailingCrop + 1} the following layers need";
            return null;
        }

        return size - trailingCrop;
    }

    /// <summary>The output size along all three axes; throws when an axis does not work.</summary>
    internal static (int Z, int Y, int X) Output(ValidUNetOptions options, (int Z, int Y, int X) input, Size3 trailingCrop, string paramName)
    {
        int[] sizes = [input.Z, input.Y, input.X];
        var output = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var result = Output(options, axis, sizes[axis], Along(trailingCrop, axis), out var error);
            if (result is null)
            {
                throw new ArgumentException($"The input size {sizes[axis]} along {AxisNames[axis]} does not fit the network: {error}. {Nearby(options, axis, sizes[axis], Along(trailingCrop, axis))}", paramName);
            }

            output[axis] = (int)result.Value;
        }

        return (output[0], output[1], output[2]);
    }

    /// <summary>The valid input sizes along one axis up to <paramref name="maximum"/>, ascending.</summary>
    internal static IReadOnlyList<int> ValidInputs(ValidUNetOptions options, int axis, int maximum, long trailingCrop)
    {
        var valid = new List<int>();
        for (var size = 1; size <= maximum; size++)
        {
            if (Output(options, axis, size, trailingCrop, out _) is not null)
            {
                valid.Add(size);
            }
        }

        return valid;
    }

    internal static long Along(Size3 size, int axis) => axis switch
    {
        0 => size.Depth,
        1 => size.Height,
        _ => size.Width,
    };

    private static long FloorDivide(long a, long b) => (a / b) - ((a % b) < 0 ? 1 : 0);

    private static long Crop(IReadOnlyList<Size3> kernels, int axis) => kernels.Sum(k => Along(k, axis) - 1);

    private static long CropFactor(ValidUNetOptions options, int level, int axis)
    {
        long product = 1;
        for (var i = level; i < options.DownsampleFactors.Count; i++)
        {
            product *= Along(options.DownsampleFactors[i], axis);
        }

        return product;
    }

    private static string Nearby(ValidUNetOptions options, int axis, int size, long trailingCrop)
    {
        int? below = null, above = null;
        for (var candidate = size - 1; candidate >= 1 && below is null; candidate--)
        {
            below = Output(options, axis, candidate, trailingCrop, out _) is null ? null : candidate;
        }

        // Valid sizes repeat with the product of the factors, so a bounded search up finds the next one if any exists.
        var step = (int)Math.Min(CropFactor(options, 0, axis), 1 << 20);
        for (var candidate = size + 1; candidate <= size + (4 * step) + 256 && above is null; candidate++)
        {
            above = Output(options, axis, candidate, trailingCrop, out _) is null ? null : candidate;
        }

        return (below, above) switch
        {
            (null, null) => "No nearby size works.",
            (null, int a) => $"The smallest size that works is {a}.",
            (int b, null) => $"The nearest size below that works is {b}.",
            (int b, int a) => $"The nearest sizes that work are {b} and {a}.",
        };
    }
}
