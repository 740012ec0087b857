using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// The blocks of incasem's block-wise prediction (gunpowder <c>Scan</c>, spec B.5): output blocks tile the region of
/// interest shrunk by the network's context, with a stride of one output block, starting at its low end; the last
/// block on each axis is moved back to end exactly at the limit, so it overlaps its neighbour. Each block's input is
/// the output block grown by the context, which lies inside the region of interest.
/// </summary>
public sealed class SemanticBlockGrid
{
    private SemanticBlockGrid(Box region, (int Z, int Y, int X) input, (int Z, int Y, int X) output, long[][] starts)
    {
        Region = region;
        InputSize = input;
        OutputSize = output;
        Starts = starts;
        Count = starts[0].Length * starts[1].Length * starts[2].Length;
    }

    /// <summary>The region of interest the inputs are read from.</summary>
    public Box Region { get; }

    /// <summary>The network's input block, Z, Y, X.</summary>
    public (int Z, int Y, int X) InputSize { get; }

    /// <summary>The network's output block, Z, Y, X.</summary>
    public (int Z, int Y, int X) OutputSize { get; }

    /// <summary>The number of blocks.</summary>
    public int Count { get; }

    /// <summary>The region that the outputs cover: the region of interest shrunk by the context on each side.</summary>
    public Box Covered => new([.. Enumerable.Range(0, 3).Select(a => Starts[a][0])], [.. Enumerable.Range(0, 3).Select(a => Starts[a][^1] + Size(OutputSize, a) - Starts[a][0])]);

    private long[][] Starts { get; }

    /// <summary>Lays out the blocks.</summary>
    /// <param name="region">The region of interest, three-dimensional.</param>
    /// <param name="inputSize">The network's input block.</param>
    /// <param name="outputSize">The network's output block for that input; input − output must be even on each axis.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="ArgumentException">The region is smaller than one input block, or the sizes do not nest.</exception>
    public static SemanticBlockGrid Create(Box region, (int Z, int Y, int X) inputSize, (int Z, int Y, int X) outputSize)
    {
        if (region.Rank != 3)
        {
            throw new ArgumentException($"The region of interest must be three-dimensional; it has {region.Rank} axes.", nameof(region));
        }

        var starts = new long[3][];
        string[] names = ["Z", "Y", "X"];
        for (var a = 0; a < 3; a++)
        {
            var (input, output) = (Size(inputSize, a), Size(outputSize, a));
            if (output < 1 || input < output || (input - output) % 2 != 0)
            {
                throw new ArgumentException($"The network's output block ({output} along {names[a]}) must be positive and centred in its input block ({input}).", nameof(outputSize));
            }

            if (region.Size[a] < input)
            {
                throw new ArgumentException($"The region of interest is {region.Size[a]} voxels along {names[a]}, smaller than one input block ({input}); predict a larger region or use a smaller block.", nameof(region));
            }

            var context = (input - output) / 2;
            var (low, high) = (region.Start[a] + context, region.Start[a] + region.Size[a] - context);
            var axis = new List<long>();
            for (var start = low; start + output < high; start += output)
            {
                axis.Add(start);
            }

            axis.Add(high - output);
            starts[a] = [.. axis];
        }

        return new SemanticBlockGrid(region, inputSize, outputSize, starts);
    }

    /// <summary>The output box of block <paramref name="index"/> (blocks run in Z, Y, X order).</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <returns>The box, in volume coordinates.</returns>
    public Box OutputBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var x = index % Starts[2].Length;
        var y = index / Starts[2].Length % Starts[1].Length;
        var z = index / Starts[2].Length / Starts[1].Length;
        return Box.FromZyx(Starts[0][z], Starts[1][y], Starts[2][x], OutputSize.Z, OutputSize.Y, OutputSize.X);
    }

    /// <summary>The input box of block <paramref name="index"/>: its output box grown by the context.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <returns>The box, in volume coordinates.</returns>
    public Box InputBlock(int index)
    {
        var output = OutputBlock(index);
        return Box.FromZyx(
            output.Start[0] - ((InputSize.Z - OutputSize.Z) / 2),
            output.Start[1] - ((InputSize.Y - OutputSize.Y) / 2),
            output.Start[2] - ((InputSize.X - OutputSize.X) / 2),
            InputSize.Z,
            InputSize.Y,
            InputSize.X);
    }

    private static int Size((int Z, int Y, int X) size, int axis) => axis switch { 0 => size.Z, 1 => size.Y, _ => size.X };
}
