using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>Parameters of <see cref="IncasemClahe"/>, with incasem's defaults.</summary>
public sealed record IncasemClaheOptions
{
    /// <summary>Tile size in every dimension (incasem: 128).</summary>
    public int KernelSize { get; init; } = 128;

    /// <summary>Clip limit as a fraction of the voxels in a tile (incasem: 0.02).</summary>
    public double ClipLimit { get; init; } = 0.02;

    /// <summary>Histogram bins (256).</summary>
    public int LuminanceLevels { get; init; } = 256;

    /// <summary>Edge of the cubic write block (incasem: 128, its chunk size).</summary>
    public int BlockSize { get; init; } = 128;

    /// <summary>Context read around each write block, in voxels (incasem: 64, half the kernel).</summary>
    public int Context { get; init; } = 64;
}

/// <summary>
/// incasem's CLAHE of uint8 EM volumes: no per-volume stretch (the 8-bit range maps to 14 bits directly), full 3-D
/// tiles of 128³, and block-wise processing — write blocks of 128³ from the dataset origin (edge blocks shrunk), each
/// equalised with 64 voxels of context whose outside-the-dataset part is filled with the block's truncated mean, and
/// stored as <c>uint8(trunc(r / 16383 · 255))</c>. Streams block by block, so memory is bounded by the block size.
/// </summary>
public static unsafe class IncasemClahe
{
    /// <summary>Equalises a whole in-memory uint8 volume.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Parameters; null for incasem's.</param>
    /// <param name="progress">Receives (blocks done, total).</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    public static Volume<byte> Equalize(Volume<byte> volume, IncasemClaheOptions? options = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var result = new Volume<byte>(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin);
        try
        {
            Process(volume.Shape, null, box => volume.Crop(box), (box, block) => result.Paste(block, (int)box.Start[0], (int)box.Start[1], (int)box.Start[2]), options, progress, cancellationToken);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Equalises a uint8 Zarr array into another of the same shape, block by block (larger-than-memory volumes).</summary>
    /// <param name="input">A three-dimensional uint8 array.</param>
    /// <param name="output">A uint8 array of the same shape (ideally chunked by the block size).</param>
    /// <param name="options">Parameters; null for incasem's.</param>
    /// <param name="progress">Receives (blocks done, total).</param>
    /// <param name="cancellationToken">Stops between blocks; blocks written so far stay written.</param>
    public static void Equalize(IChunkedVolume input, IChunkedVolume output, IncasemClaheOptions? options = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.Rank != 3 || !input.Shape.SequenceEqual(output.Shape))
        {
            throw new ClaheException($"incasem CLAHE needs a 3-D input and an output of the same shape; got [{string.Join(", ", input.Shape)}] and [{string.Join(", ", output.Shape)}].");
        }

        ProcessChunked(input, output, null, options, progress, cancellationToken);
    }

    /// <summary>
    /// Equalises only the write blocks that tile <paramref name="region"/>, reading their context from the whole input:
    /// the voxels written are exactly those <see cref="Equalize(IChunkedVolume, IChunkedVolume, IncasemClaheOptions?, IProgress{ValueTuple{int, int}}?, CancellationToken)"/>
    /// writes there, so disjoint regions can be equalised by separate processes and give the same array.
    /// </summary>
    /// <param name="input">A three-dimensional uint8 array.</param>
    /// <param name="output">A uint8 array of the same shape.</param>
    /// <param name="region">A box on the write-block grid: its start a multiple of <see cref="IncasemClaheOptions.BlockSize"/>, its end a multiple too or the volume's edge.</param>
    /// <param name="options">Parameters; null for incasem's.</param>
    /// <param name="progress">Receives (blocks done, blocks in the region).</param>
    /// <param name="cancellationToken">Stops between blocks; blocks written so far stay written.</param>
    /// <exception cref="ClaheException">The shapes differ, the options are invalid, or the region is not on the block grid.</exception>
    public static void EqualizeBlocks(IChunkedVolume input, IChunkedVolume output, Box region, IncasemClaheOptions? options = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.Rank != 3 || !input.Shape.SequenceEqual(output.Shape))
        {
            throw new ClaheException($"incasem CLAHE needs a 3-D input and an output of the same shape; got [{string.Join(", ", input.Shape)}] and [{string.Join(", ", output.Shape)}].");
        }

        var step = (options ?? new IncasemClaheOptions()).BlockSize;
        for (var d = 0; d < 3; d++)
        {
            var end = region.Start[d] + region.Size[d];
            if (region.Rank != 3 || region.Start[d] < 0 || region.Size[d] < 1 || end > input.Shape[d] || region.Start[d] % step != 0 || (end % step != 0 && end != input.Shape[d]))
            {
                throw new ClaheException($"The region {region} is not on the {step}-voxel block grid of a [{string.Join(", ", input.Shape)}] volume.");
            }
        }

        ProcessChunked(input, output, region, options, progress, cancellationToken);
    }

    private static void ProcessChunked(IChunkedVolume input, IChunkedVolume output, Box? region, IncasemClaheOptions? options, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken) =>
        Process(
            [.. input.Shape],
            region,
            box =>
            {
                var crop = new Volume<byte>((int)box.Size[0], (int)box.Size[1], (int)box.Size[2]);
                input.Read(box, crop.Span, cancellationToken: cancellationToken);
                return crop;
            },
            (box, block) => output.Write(box, (ReadOnlySpan<byte>)block.Span, cancellationToken: cancellationToken),
            options,
            progress,
            cancellationToken);

    /// <summary>Equalises the write blocks of <paramref name="region"/> (null: the whole volume), in C order.</summary>
    private static void Process(long[] shape, Box? region, Func<Box, Volume<byte>> read, Action<Box, Volume<byte>> write, IncasemClaheOptions? options, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        options ??= new IncasemClaheOptions();
        Validate(options, shape);
        var step = options.BlockSize;
        var whole = region ?? Box.FromShape(shape);
        var first = whole.Start.Select(s => (int)(s / step)).ToArray();
        var last = whole.Start.Select((s, d) => (int)((s + whole.Size[d] + step - 1) / step)).ToArray();
        var total = (last[0] - first[0]) * (last[1] - first[1]) * (last[2] - first[2]);
        var table = BinTable(options.LuminanceLevels);
        var done = 0;
        for (var bz = first[0]; bz < last[0]; bz++)
        for (var by = first[1]; by < last[1]; by++)
        for (var bx = first[2]; bx < last[2]; bx++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var writeBox = new Box([bz * (long)step, by * (long)step, bx * (long)step], [Math.Min(step, shape[0] - (bz * step)), Math.Min(step, shape[1] - (by * step)), Math.Min(step, shape[2] - (bx * step))]);
            using var written = EqualizeBlock(writeBox, shape, read, table, options, cancellationToken);
            write(writeBox, written);
            progress?.Report((++done, total));
        }
    }

    private static Volume<byte> EqualizeBlock(Box writeBox, long[] shape, Func<Box, Volume<byte>> read, ushort[] table, IncasemClaheOptions options, CancellationToken cancellationToken)
    {
        var context = options.Context;
        using var inside = read(writeBox);
        long sum = 0;
        foreach (var v in inside.Span)
        {
            sum += v;
        }

        var fill = (byte)(int)((double)sum / inside.Length); // int(np.mean(block)): the float64 mean, truncated
        var readBox = writeBox.Translate([-context, -context, -context]);
        readBox = new Box(readBox.Start.AsSpan(), writeBox.Size.Select(s => s + (2 * context)).ToArray());
        var available = readBox.ClipTo(shape);
        var (rd, rh, rw) = ((int)readBox.Size[0], (int)readBox.Size[1], (int)readBox.Size[2]);
        var bins = new byte[rd * rh * rw];
        Array.Fill(bins, (byte)table[fill]);
        using (var source = read(available))
        {
            var (oz, oy, ox) = ((int)(available.Start[0] - readBox.Start[0]), (int)(available.Start[1] - readBox.Start[1]), (int)(available.Start[2] - readBox.Start[2]));
            for (var z = 0; z < source.Depth; z++)
            {
                for (var y = 0; y < source.Height; y++)
                {
                    var row = source.Row(z, y);
                    var target = bins.AsSpan((((z + oz) * rh) + y + oy) * rw + ox, source.Width);
                    for (var x = 0; x < row.Length; x++)
                    {
                        target[x] = (byte)table[row[x]];
                    }
                }
            }
        }

        var result14 = new ushort[bins.Length];
        fixed (ushort* target = result14)
        {
            ClaheKernel.Run(new BinArray<byte>(bins), [rd, rh, rw], [options.KernelSize, options.KernelSize, options.KernelSize], options.ClipLimit, options.LuminanceLevels, (nint)target, cancellationToken);
        }

        var output = new Volume<byte>((int)writeBox.Size[0], (int)writeBox.Size[1], (int)writeBox.Size[2]);
        for (var z = 0; z < output.Depth; z++)
        {
            for (var y = 0; y < output.Height; y++)
            {
                var row = output.Row(z, y);
                var offset = (((z + context) * rh) + y + context) * rw + context;
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = (byte)(result14[offset + x] / 16383.0 * 255.0);
                }
            }
        }

        return output;
    }

    /// <summary>The bin of every uint8 value after incasem's fixed mapping to 14 bits: round(257·x / 65535 · 16383).</summary>
    private static ushort[] BinTable(int bins)
    {
        var binSize = 1 + (ClaheKernel.GrayLevels / bins);
        var table = new ushort[256];
        for (var x = 0; x < table.Length; x++)
        {
            var gray = (int)Math.Round(((x * 257) - 0.0) / (65535.0 - 0.0) * (ClaheKernel.GrayLevels - 1) + 0.0);
            table[x] = (ushort)(gray / binSize);
        }

        return table;
    }

    private static void Validate(IncasemClaheOptions options, long[] shape)
    {
        if (shape.Length != 3 || shape.Any(s => s < 1))
        {
            throw new ClaheException($"incasem CLAHE needs a non-empty 3-D volume; got [{string.Join(", ", shape)}].");
        }

        if (options.KernelSize < 1 || options.BlockSize < 1 || options.Context < 0)
        {
            throw new ClaheException("Kernel and block sizes must be at least 1 and the context at least 0.");
        }

        if (options.KernelSize > options.BlockSize + (2 * options.Context))
        {
            throw new ClaheException($"The kernel ({options.KernelSize}) is larger than a read block ({options.BlockSize} + 2 × {options.Context}).");
        }

        if (options.ClipLimit is < 0 or > 1 || double.IsNaN(options.ClipLimit))
        {
            throw new ClaheException($"The clip limit must lie in [0, 1]; got {options.ClipLimit}.");
        }

        if (options.LuminanceLevels is < 2 or > 256)
        {
            throw new ClaheException($"incasem CLAHE uses at most 256 bins; got {options.LuminanceLevels}.");
        }
    }
}
