namespace CellVision.Segmentation;

/// <summary>
/// scikit-image's CLAHE tiling of a (D, H, W) volume: tile counts, the source index of every padded coordinate (numpy's
/// reflect padding at the far ends), the clip limit in voxels, and the per-coordinate interpolation weights and tiles.
/// </summary>
internal sealed class ClaheGrid
{
    internal ClaheGrid(int[] shape, int[] kernel, double clipLimit, int bins)
    {
        (Depth, Height, Width) = (shape[0], shape[1], shape[2]);
        (Kz, Ky, Kx) = (kernel[0], kernel[1], kernel[2]);
        (Nz, Ny, Nx) = (Ceil(Depth, Kz), Ceil(Height, Ky), Ceil(Width, Kx));
        Bins = bins;
        var voxelsPerTile = (long)Kz * Ky * Kx;
        Clip = clipLimit > 0 ? (long)Math.Max(clipLimit * voxelsPerTile, 1) : voxelsPerTile;
        Factor = (ClaheKernel.GrayLevels - 1) / (double)voxelsPerTile;
        ZIndex = ReflectedIndices(Depth, Kz, Nz);
        YIndex = ReflectedIndices(Height, Ky, Ny);
        XIndex = ReflectedIndices(Width, Kx, Nx);
        ZWeights = Weights(Depth, Kz, Nz, 1);
        YWeights = Weights(Height, Ky, Ny, 1);
        XWeights = Weights(Width, Kx, Nx, bins);
    }

    internal int Depth { get; }

    internal int Height { get; }

    internal int Width { get; }

    internal int Kz { get; }

    internal int Ky { get; }

    internal int Kx { get; }

    internal int Nz { get; }

    internal int Ny { get; }

    internal int Nx { get; }

    internal int TileCount => Nz * Ny * Nx;

    internal int Bins { get; }

    /// <summary>The clip limit in voxels per bin.</summary>
    internal long Clip { get; }

    /// <summary>16383 / voxels per tile: maps a cumulative count to a gray level.</summary>
    internal double Factor { get; }

    internal int[] ZIndex { get; }

    internal int[] YIndex { get; }

    internal int[] XIndex { get; }

    /// <summary>Per plane: the weights of the lower and upper tile and those tiles' indices.</summary>
    internal (double[] W0, double[] W1, int[] Low, int[] High) ZWeights { get; }

    /// <summary>Per row: the weights of the lower and upper tile and those tiles' indices.</summary>
    internal (double[] W0, double[] W1, int[] Low, int[] High) YWeights { get; }

    /// <summary>Per column: the weights of the lower and upper tile and those tiles' indices times the bin count.</summary>
    internal (double[] W0, double[] W1, int[] Low, int[] High) XWeights { get; }

    /// <summary>The first and last source plane that the tiles of tile plane <paramref name="tz"/> cover.</summary>
    internal (int First, int Last) SourcePlanes(int tz) => Span(ZIndex, tz, Kz);

    /// <summary>The first and last source row that the tiles of tile row <paramref name="ty"/> cover.</summary>
    internal (int First, int Last) SourceRows(int ty) => Span(YIndex, ty, Ky);

    private static (int First, int Last) Span(int[] index, int tile, int kernel)
    {
        var part = index.AsSpan(tile * kernel, kernel);
        var (first, last) = (int.MaxValue, int.MinValue);
        foreach (var i in part)
        {
            first = Math.Min(first, i);
            last = Math.Max(last, i);
        }

        return (first, last);
    }

    /// <summary>For each tile-grid coordinate 0…n·k−1, the source index after numpy's reflect padding.</summary>
    private static int[] ReflectedIndices(int size, int kernel, int tiles)
    {
        var result = new int[tiles * kernel];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ClaheKernel.Reflect(i, size);
        }

        return result;
    }

    /// <summary>Per coordinate: the two interpolation weights and the two tiles they apply to (edge-clamped), tiles times <paramref name="scale"/>.</summary>
    private static (double[] W0, double[] W1, int[] Low, int[] High) Weights(int size, int kernel, int tiles, int scale)
    {
        var w0 = new double[size];
        var w1 = new double[size];
        var low = new int[size];
        var high = new int[size];
        for (var x = 0; x < size; x++)
        {
            var p = x + (kernel / 2);
            var block = p / kernel;
            var offset = p % kernel;
            var coefficient = offset / (double)kernel;
            w1[x] = coefficient;
            w0[x] = 1 - coefficient;
            low[x] = Math.Clamp(block - 1, 0, tiles - 1) * scale;
            high[x] = Math.Clamp(block, 0, tiles - 1) * scale;
        }

        return (w0, w1, low, high);
    }

    private static int Ceil(int size, int kernel) => (size + kernel - 1) / kernel;
}
