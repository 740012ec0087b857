using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>CLAHE of chunked arrays larger than memory, with the in-memory results.</summary>
public static unsafe partial class Clahe
{
    /// <summary>Working memory aimed at per block of planes in the streaming passes.</summary>
    private const long StreamingBudgetBytes = 256L << 20;

    /// <summary>
    /// Equalises a uint8 or uint16 array of shape (H, W) or (D, H, W) into <paramref name="output"/>, voxel for voxel as
    /// the in-memory methods (scikit-image 0.19.3), without holding the volume: four streaming passes read the input's
    /// min–max, build each tile's histogram from the planes and rows it covers, find the results' min–max, and write the
    /// results block of planes by block of planes. The output's element type picks the result: float64 as
    /// <see cref="Equalize(Volume{ushort}, ClaheOptions?, CancellationToken)"/>, uint16 as
    /// <see cref="EqualizeToUInt16"/>, uint8 as <see cref="EqualizeToByte"/>.
    /// </summary>
    /// <param name="input">A uint8 or uint16 array with two or three dimensions.</param>
    /// <param name="output">A float64, uint16 or uint8 array of the same shape (chunks spanning whole planes write fastest).</param>
    /// <param name="options">Kernel, clip limit and bins; null for scikit-image's defaults.</param>
    /// <param name="progress">Receives (steps done, total): one step per tile row and per block of planes in the last two passes.</param>
    /// <param name="cancellationToken">Stops between steps; blocks written so far stay written.</param>
    /// <exception cref="ClaheException">The shapes differ, an element type is not supported, or the options are invalid; nothing is written.</exception>
    /// <remarks>
    /// Memory: one tile row of the input (its kernel's planes and rows, whole width) while histograms are built, then
    /// blocks of planes of about 256 MiB of working memory; the tile lookup tables (tiles × bins float64) stay in memory.
    /// The input is read three times and the interpolation runs twice (once for the results' range, once to write).
    /// </remarks>
    public static void Equalize(IChunkedVolume input, IChunkedVolume output, ClaheOptions? options = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default) =>
        Equalize(input, output, StreamingBudgetBytes, options, progress, cancellationToken);

    /// <summary>The streaming CLAHE with blocks of planes sized to <paramref name="budgetBytes"/> of working memory.</summary>
    internal static void Equalize(IChunkedVolume input, IChunkedVolume output, long budgetBytes, ClaheOptions? options, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.Rank is not (2 or 3) || !input.Shape.SequenceEqual(output.Shape))
        {
            throw new ClaheException($"Chunked CLAHE needs a 2-D or 3-D input and an output of the same shape; got [{string.Join(", ", input.Shape)}] and [{string.Join(", ", output.Shape)}].");
        }

        if (input.Shape.Any(s => s > int.MaxValue))
        {
            throw new ClaheException($"Each dimension must be below 2^31 voxels; the input is [{string.Join(", ", input.Shape)}].");
        }

        var shape = input.Shape.Select(s => (int)s).ToArray();
        var count = input.Shape.Aggregate(1L, (a, b) => a * b);
        var plan = Plan.Create(count, shape, count, options);
        RequireType(output, output.ElementSize switch { 8 => typeof(double), 2 => typeof(ushort), 1 => typeof(byte), _ => null }, "output", "float64, uint16 or uint8");
        switch (input.ElementSize)
        {
            case 2:
                RequireType(input, typeof(ushort), "input", "uint8 or uint16");
                Stream<ushort>(input, output, plan, budgetBytes, progress, cancellationToken);
                break;
            case 1:
                RequireType(input, typeof(byte), "input", "uint8 or uint16");
                Stream<byte>(input, output, plan, budgetBytes, progress, cancellationToken);
                break;
            default:
                throw new ClaheException($"The input holds {input.ElementSize}-byte elements; chunked CLAHE takes uint8 or uint16.");
        }
    }

    /// <summary>Checks the element type with an empty read (which touches no chunk) so a mismatch fails before anything is written.</summary>
    private static void RequireType(IChunkedVolume array, Type? type, string name, string expected)
    {
        var empty = new Box(new long[array.Rank], new long[array.Rank]);
        try
        {
            switch (type)
            {
                case var t when t == typeof(double):
                    array.Read<double>(empty, Span<double>.Empty);
                    break;
                case var t when t == typeof(ushort):
                    array.Read<ushort>(empty, Span<ushort>.Empty);
                    break;
                case var t when t == typeof(byte):
                    array.Read<byte>(empty, Span<byte>.Empty);
                    break;
                default:
                    throw new ArgumentException($"{array.ElementSize}-byte elements");
            }
        }
        catch (ArgumentException exception)
        {
            throw new ClaheException($"The {name} must hold {expected} elements ({exception.Message}).");
        }
    }

    private static void Stream<TIn>(IChunkedVolume input, IChunkedVolume output, Plan plan, long budgetBytes, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
        where TIn : unmanaged, IBinaryInteger<TIn>
    {
        if (plan.Bins <= 256)
        {
            Stream<TIn, byte>(input, output, plan, budgetBytes, progress, cancellationToken);
        }
        else
        {
            Stream<TIn, ushort>(input, output, plan, budgetBytes, progress, cancellationToken);
        }
    }

    private static void Stream<TIn, TBin>(IChunkedVolume input, IChunkedVolume output, Plan plan, long budgetBytes, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
        where TIn : unmanaged, IBinaryInteger<TIn>
        where TBin : unmanaged, IBinaryInteger<TBin>
    {
        var grid = new ClaheGrid(plan.VolumeShape, plan.Kernel, plan.ClipLimit, plan.Bins);
        var bytesPerPlane = (long)grid.Height * grid.Width * (System.Runtime.CompilerServices.Unsafe.SizeOf<TIn>() + System.Runtime.CompilerServices.Unsafe.SizeOf<TBin>() + 2 + output.ElementSize);
        var planesPerBlock = (int)Math.Clamp(budgetBytes / bytesPerPlane, 1, grid.Depth);
        var blocks = (grid.Depth + planesPerBlock - 1) / planesPerBlock;
        var total = (grid.Nz * grid.Ny) + (2 * blocks);
        var done = 0;

        // Pass 1: the input's range, for scikit-image's stretch to 14 bits.
        var (min, max) = (ushort.MaxValue, ushort.MinValue);
        for (var z = 0; z < grid.Depth; z += planesPerBlock)
        {
            var window = new BinWindow(z, 0, Math.Min(planesPerBlock, grid.Depth - z), grid.Height);
            var values = ReadWindow<TIn>(input, window, grid, cancellationToken);
            try
            {
                var span = values.AsSpan(0, window.Depth * window.Height * grid.Width);
                min = Math.Min(min, ushort.CreateTruncating(TensorPrimitives.Min<TIn>(span)));
                max = Math.Max(max, ushort.CreateTruncating(TensorPrimitives.Max<TIn>(span)));
            }
            finally
            {
                ArrayPool<TIn>.Shared.Return(values);
            }
        }

        var table = typeof(TIn) == typeof(byte) ? ByteBinTable((byte)min, (byte)max, grid.Bins) : ClaheKernel.BinTable(min, max, grid.Bins);

        // Pass 2: each tile row's histograms from the planes and rows its tiles cover (after reflect padding).
        var luts = new double[grid.TileCount * grid.Bins];
        for (var tz = 0; tz < grid.Nz; tz++)
        {
            var (z0, z1) = grid.SourcePlanes(tz);
            for (var ty = 0; ty < grid.Ny; ty++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (y0, y1) = grid.SourceRows(ty);
                var window = new BinWindow(z0, y0, z1 - z0 + 1, y1 - y0 + 1);
                var bins = ReadBins<TIn, TBin>(input, window, grid, table, cancellationToken);
                try
                {
                    var first = ((tz * grid.Ny) + ty) * grid.Nx;
                    Parallel.For(first, first + grid.Nx, new ParallelOptions { CancellationToken = cancellationToken }, tile => ClaheKernel.TileLut(new BinArray<TBin>(bins), window, grid, tile, luts));
                }
                finally
                {
                    ArrayPool<TBin>.Shared.Return(bins);
                }

                progress?.Report((++done, total));
            }
        }

        // Pass 3: the results' range, for the final stretch to [0, 1].
        var (low, high) = (ushort.MaxValue, ushort.MinValue);
        ForEachBlock((window, result) =>
        {
            var span = result.AsSpan(0, window.Depth * window.Height * grid.Width);
            low = Math.Min(low, TensorPrimitives.Min<ushort>(span));
            high = Math.Max(high, TensorPrimitives.Max<ushort>(span));
        });

        // Pass 4: the results again, mapped to the output's type and written.
        var unit = UnitTable(low, high);
        switch (output.ElementSize)
        {
            case 8:
                ForEachBlock((window, result) => WriteMapped(output, window, grid, result, unit, cancellationToken));
                break;
            case 2:
                var wide = ToUInt16(unit);
                ForEachBlock((window, result) => WriteMapped(output, window, grid, result, wide, cancellationToken));
                break;
            default:
                var narrow = ToByte(unit);
                ForEachBlock((window, result) => WriteMapped(output, window, grid, result, narrow, cancellationToken));
                break;
        }

        void ForEachBlock(Action<BinWindow, ushort[]> use)
        {
            for (var z = 0; z < grid.Depth; z += planesPerBlock)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var window = new BinWindow(z, 0, Math.Min(planesPerBlock, grid.Depth - z), grid.Height);
                var bins = ReadBins<TIn, TBin>(input, window, grid, table, cancellationToken);
                var result = ArrayPool<ushort>.Shared.Rent(window.Depth * window.Height * grid.Width);
                try
                {
                    fixed (ushort* target = result)
                    {
                        ClaheKernel.Interpolate(new BinArray<TBin>(bins), window, grid, luts, (nint)target, cancellationToken);
                    }

                    use(window, result);
                }
                finally
                {
                    ArrayPool<TBin>.Shared.Return(bins);
                    ArrayPool<ushort>.Shared.Return(result);
                }

                progress?.Report((++done, total));
            }
        }
    }

    /// <summary>The bin of every uint8 value: the uint16 table of the value × 257 (scikit-image's <c>img_as_uint</c> first).</summary>
    private static ushort[] ByteBinTable(byte min, byte max, int bins)
    {
        var wideTable = ClaheKernel.BinTable((ushort)(min * 257), (ushort)(max * 257), bins);
        var table = new ushort[256];
        for (var v = 0; v < table.Length; v++)
        {
            table[v] = wideTable[v * 257];
        }

        return table;
    }

    /// <summary>The region of <paramref name="window"/> in the array's own rank (a 2-D array is one plane).</summary>
    private static Box Region(BinWindow window, ClaheGrid grid, int rank) => rank == 3
        ? new Box([window.Z0, window.Y0, 0], [window.Depth, window.Height, grid.Width])
        : new Box([window.Y0, 0], [window.Height, grid.Width]);

    /// <summary>Reads the window's voxels into a rented array (return it to <see cref="ArrayPool{T}.Shared"/>).</summary>
    private static T[] ReadWindow<T>(IChunkedVolume array, BinWindow window, ClaheGrid grid, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var length = window.Depth * window.Height * grid.Width;
        var values = ArrayPool<T>.Shared.Rent(length);
        try
        {
            array.Read(Region(window, grid, array.Rank), values.AsSpan(0, length), cancellationToken: cancellationToken);
            return values;
        }
        catch
        {
            ArrayPool<T>.Shared.Return(values);
            throw;
        }
    }

    /// <summary>Reads the window and bins it through <paramref name="table"/> into a rented array.</summary>
    private static TBin[] ReadBins<TIn, TBin>(IChunkedVolume input, BinWindow window, ClaheGrid grid, ushort[] table, CancellationToken cancellationToken)
        where TIn : unmanaged, IBinaryInteger<TIn>
        where TBin : unmanaged, IBinaryInteger<TBin>
    {
        var values = ReadWindow<TIn>(input, window, grid, cancellationToken);
        try
        {
            var length = window.Depth * window.Height * grid.Width;
            var bins = ArrayPool<TBin>.Shared.Rent(length);
            Parallel.For(0, window.Depth * window.Height, row =>
            {
                var source = values.AsSpan(row * grid.Width, grid.Width);
                var target = bins.AsSpan(row * grid.Width, grid.Width);
                for (var x = 0; x < source.Length; x++)
                {
                    target[x] = TBin.CreateTruncating(table[int.CreateTruncating(source[x])]);
                }
            });
            return bins;
        }
        finally
        {
            ArrayPool<TIn>.Shared.Return(values);
        }
    }

    /// <summary>Maps the window's 14-bit results through <paramref name="table"/> and writes them.</summary>
    private static void WriteMapped<T>(IChunkedVolume output, BinWindow window, ClaheGrid grid, ushort[] result, T[] table, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var length = window.Depth * window.Height * grid.Width;
        var mapped = ArrayPool<T>.Shared.Rent(length);
        try
        {
            fixed (ushort* source = result)
            fixed (T* target = mapped)
            {
                MapRange(source, target, 0, length, table);
            }

            output.Write(Region(window, grid, output.Rank), (ReadOnlySpan<T>)mapped.AsSpan(0, length), cancellationToken: cancellationToken);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(mapped);
        }
    }
}
